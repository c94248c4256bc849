//! The day's letters as one printable PDF and one CSV list for the postal bulk deposit.
//!
//! `recouvre letters batch --date D` gathers the actions decided on day `D` whose channels
//! include a letter (plain letter, registered letter, formal notice) and that are not
//! skipped or waiting as drafts, composes each (same texts and figures as the e-mail
//! copy), and typesets them into one PDF, each letter starting on a new page with its own
//! page numbers, in the order of the CSV.
//!
//! A letter that may not be issued — it lacks the sender's address, the SIREN, the IBAN
//! or the debtor's address ([`app::issuing`]), or claims a figure the law engine could not
//! compute or that rests on a rate to confirm — is left out of both files and listed in
//! [`Batch::refused`] with the reason; `recouvre letters batch` writes the others, names
//! each refused letter and exits with a non-zero status, so that a script notices.
//!
//! The CSV is our own format, not an official La Poste one: a list to fill in whichever
//! deposit form or service the sender uses. UTF-8, `;`-separated, one line per letter:
//!
//! | column | content |
//! | --- | --- |
//! | `sequence` | 1, 2, … the letter's order in the PDF |
//! | `service` | `LRAR` (registered with acknowledgment of receipt: registered letters and formal notices) or `LETTRE` (plain letter) |
//! | `reference` | our reference printed on the letter (`<customer ref>-<action id>`) |
//! | `action_id`, `debtor_id`, `template` | what produced it |
//! | `recipient` | the addressee's name |
//! | `address_1` … `address_4` | the address lines before the postcode line |
//! | `postcode`, `city` | split from the last line when it starts with a French 5-digit postcode, else `city` holds the whole line |
//! | `country` | the debtor's ISO country code |
//! | `amount_claimed` | the total the letter claims, in the letter's language |

use crate::compose::{Comms, CommsError, Refusal, Request, compose_in, has_letter};
use crate::pdf::{self, Letter};
use app::store::{ActionStatus, Store};
use domain::Date;
use domain::dunning::Channel;
use serde::Serialize;

/// One letter of a batch, as listed in the CSV.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BatchLine {
    pub sequence: usize,
    pub service: &'static str,
    pub reference: String,
    pub action_id: i64,
    pub debtor_id: i64,
    pub template: String,
    pub recipient: String,
    pub address: Vec<String>,
    pub postcode: String,
    pub city: String,
    pub country: String,
    pub amount_claimed: String,
}

/// A letter of the day left out of the batch, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefusedLetter {
    pub action_id: i64,
    pub debtor_id: i64,
    pub template: String,
    pub refusal: Refusal,
    /// The refusal in words, English then French.
    pub reason: String,
}

/// A day's letters: the PDF to print and the list to deposit.
#[derive(Debug, Clone)]
pub struct Batch {
    pub date: Date,
    pub lines: Vec<BatchLine>,
    /// The letters that may not be issued, left out of the PDF and the list.
    pub refused: Vec<RefusedLetter>,
    /// Empty when there is no letter.
    pub pdf: Vec<u8>,
}

/// Splits the last address line into a French postcode and a city.
fn postcode_city(line: &str) -> (String, String) {
    let t = line.trim();
    match t.split_once(' ') {
        Some((pc, city)) if pc.len() == 5 && pc.chars().all(|c| c.is_ascii_digit()) => {
            (pc.to_string(), city.trim().to_string())
        }
        _ => (String::new(), t.to_string()),
    }
}

/// Composes the letters of the actions decided on `date`, as of `as_of` (the printing
/// day: the interest and the deadline are computed for it).
pub async fn letters_batch(
    store: &dyn Store,
    comms: &Comms,
    date: Date,
    as_of: Date,
) -> Result<Batch, CommsError> {
    let mut tx = store.begin().await?;
    let mut actions: Vec<_> = tx
        .actions_since(date)
        .await?
        .into_iter()
        .filter(|a| a.created_on == date && has_letter(a.channels))
        .filter(|a| !matches!(a.status, ActionStatus::Skipped | ActionStatus::Draft))
        .collect();
    actions.sort_by_key(|a| a.id);
    let mut lines = Vec::new();
    let mut refused = Vec::new();
    let mut letters: Vec<Letter> = Vec::new();
    for action in &actions {
        let composed =
            match compose_in(tx.as_mut(), comms, Request::Action(action), None, as_of).await {
                Ok(c) => c,
                Err(CommsError::Refused(refusal)) => {
                    refused.push(RefusedLetter {
                        action_id: action.id,
                        debtor_id: action.debtor_id.0,
                        template: action.template.clone(),
                        reason: refusal.message(),
                        refusal,
                    });
                    continue;
                }
                Err(e) => return Err(e),
            };
        let debtor = tx.debtor(action.debtor_id).await?;
        let mut address = composed.recipient.address_lines.clone();
        let (postcode, city) = address.pop().map(|l| postcode_city(&l)).unwrap_or_default();
        let registered = action.channels.contains(Channel::RegisteredLetter)
            || action.channels.contains(Channel::FormalNotice);
        lines.push(BatchLine {
            sequence: lines.len() + 1,
            service: if registered { "LRAR" } else { "LETTRE" },
            reference: composed.reference.clone(),
            action_id: action.id,
            debtor_id: action.debtor_id.0,
            template: action.template.clone(),
            recipient: composed.recipient.name.clone(),
            address,
            postcode,
            city,
            country: debtor.map(|d| d.country).unwrap_or_default(),
            amount_claimed: composed.total_claimed.clone(),
        });
        letters.push(composed.letter_data().clone());
    }
    let pdf = if letters.is_empty() {
        Vec::new()
    } else {
        pdf::render(&letters)?
    };
    Ok(Batch {
        date,
        lines,
        refused,
        pdf,
    })
}

/// Quotes a CSV field when it holds the separator, a quote or a line break.
fn field(s: &str) -> String {
    if s.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

impl Batch {
    /// The deposit list (see the module documentation for the columns).
    pub fn csv(&self) -> String {
        let mut out = String::from(
            "sequence;service;reference;action_id;debtor_id;template;recipient;address_1;address_2;address_3;address_4;postcode;city;country;amount_claimed\n",
        );
        for l in &self.lines {
            let mut cells = vec![
                l.sequence.to_string(),
                l.service.to_string(),
                l.reference.clone(),
                l.action_id.to_string(),
                l.debtor_id.to_string(),
                l.template.clone(),
                l.recipient.clone(),
            ];
            for i in 0..4 {
                cells.push(l.address.get(i).cloned().unwrap_or_default());
            }
            if l.address.len() > 4 {
                // More than four lines before the postcode: keep them, in the last column.
                cells[10] = l.address[3..].join(", ");
            }
            cells.extend([
                l.postcode.clone(),
                l.city.clone(),
                l.country.clone(),
                l.amount_claimed.clone(),
            ]);
            out.push_str(
                &cells
                    .iter()
                    .map(|c| field(c.as_str()))
                    .collect::<Vec<_>>()
                    .join(";"),
            );
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes_are_split_from_french_lines_only() {
        assert_eq!(
            postcode_city("69003 Lyon"),
            ("69003".to_string(), "Lyon".to_string())
        );
        assert_eq!(
            postcode_city("London SW1A 1AA"),
            (String::new(), "London SW1A 1AA".to_string())
        );
        assert_eq!(field("a;b"), "\"a;b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
