//! The template set: every template a shipped scenario names exists in French and in
//! English and renders; overrides from a folder and from the database win over the
//! built-in text; a wrong override is refused with the template, the language, the part,
//! the line and the unknown variable named.

#![allow(clippy::unwrap_used)]

use recouvre_comms::context::MessageContext;
use recouvre_comms::{Lang, Part, Templates, TemplatesError};

/// The `template = "..."` names of the shipped scenarios, read from their files.
fn scenario_templates() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../domain/scenarios");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text.lines() {
            if let Some(rest) = line.trim().strip_prefix("template = \"") {
                out.push(rest.trim_end_matches('"').to_string());
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn every_step_of_the_shipped_scenarios_has_its_texts_in_both_languages() {
    let t = Templates::builtin().unwrap();
    let mut needed = scenario_templates();
    assert!(needed.len() >= 19, "{needed:?}");
    // The tasks the run makes outside scenarios, and the letters of issue 6.
    needed.extend(
        [
            "limitation_alert",
            "broken_promise",
            "broken_plan",
            "plan_confirmation",
            "agency_letter",
        ]
        .map(String::from),
    );
    let ctx = MessageContext::sample();
    for name in &needed {
        assert!(t.contains(name), "no template {name}");
        for lang in Lang::ALL {
            for part in [Part::Subject, Part::Text] {
                let s = t.render_part(name, lang, part, &ctx).unwrap().unwrap();
                assert!(!s.is_empty(), "{name} {lang} {part} is empty");
            }
            for part in [Part::Sms, Part::Letter] {
                t.render_part(name, lang, part, &ctx).unwrap();
            }
        }
    }
    // The SMS step of the B2C scenario has an SMS text.
    assert!(t.source("reminder_sms_b2c", Lang::En, Part::Sms).is_some());
}

/// The sample context (MessageContext::sample): debtor "Client SARL", one claim whose
/// fields are empty, deadline "1er décembre 2026". Expected texts worked by hand from the
/// template sources below.
#[test]
fn a_folder_override_replaces_one_part_and_keeps_the_others() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("fr")).unwrap();
    std::fs::write(
        dir.path().join("fr/reminder_1.toml"),
        "subject = \"Relance pour {{ debtor.name }}, avant le {{ deadline }}\"\n",
    )
    .unwrap();
    let t = Templates::load(Some(dir.path()), &[]).unwrap();
    let ctx = MessageContext::sample();
    assert_eq!(
        t.render_part("reminder_1", Lang::Fr, Part::Subject, &ctx)
            .unwrap()
            .unwrap(),
        "Relance pour Client SARL, avant le 1er décembre 2026"
    );
    // The text part is still the built-in one; English is untouched.
    assert_eq!(
        t.source("reminder_1", Lang::Fr, Part::Text),
        Templates::builtin()
            .unwrap()
            .source("reminder_1", Lang::Fr, Part::Text)
    );
    assert!(
        t.render_part("reminder_1", Lang::En, Part::Subject, &ctx)
            .unwrap()
            .unwrap()
            .starts_with("Overdue invoice(s)")
    );

    // The database wins over the folder.
    let t = Templates::load(
        Some(dir.path()),
        &[(
            "template.reminder_1.fr.subject".into(),
            "Rappel {{ reference }}".into(),
        )],
    )
    .unwrap();
    assert_eq!(
        t.render_part("reminder_1", Lang::Fr, Part::Subject, &ctx)
            .unwrap()
            .unwrap(),
        "Rappel C0001-1"
    );
}

#[test]
fn an_unknown_variable_is_refused_with_template_part_line_and_name() {
    let settings = [(
        "template.reminder_1.fr.text".to_string(),
        "Bonjour,\n\nVous nous devez {{ totals.open }}.\nMerci, {{ debtor.nmae }}.\n".to_string(),
    )];
    let err = Templates::load(None, &settings).unwrap_err();
    let TemplatesError::Template(e) = &err else {
        panic!("{err}");
    };
    assert_eq!(e.name, "reminder_1");
    assert_eq!(e.lang, Lang::Fr);
    assert_eq!(e.part, Part::Text);
    assert_eq!(e.line, Some(4));
    assert_eq!(e.variable.as_deref(), Some("debtor.nmae"));
    let message = err.to_string();
    assert!(message.contains("template reminder_1 (fr, text, setting template.reminder_1.fr.text), line 4, unknown variable `debtor.nmae`"), "{message}");

    // A typo inside a loop is caught when rendering, with its line.
    let settings = [(
        "template.reminder_1.en.text".to_string(),
        "Invoices:\n{% for c in claims %}\n- {{ c.numbr }}\n{% endfor %}\n".to_string(),
    )];
    let t = Templates::load(None, &settings).unwrap();
    let err = t
        .render_part(
            "reminder_1",
            Lang::En,
            Part::Text,
            &MessageContext::sample(),
        )
        .unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("template reminder_1 (en, text"),
        "{message}"
    );
    assert!(message.contains("line 3"), "{message}");

    // A syntax error names the line too; a bad key names the setting.
    let err = Templates::load(
        None,
        &[("template.call_1.fr.subject".into(), "{% if %}".into())],
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("template call_1 (fr, subject"),
        "{err}"
    );
    let err =
        Templates::load(None, &[("template.call_1.de.subject".into(), "x".into())]).unwrap_err();
    assert!(
        err.to_string()
            .contains("setting template.call_1.de.subject"),
        "{err}"
    );
}

#[test]
fn export_writes_files_the_folder_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let t = Templates::builtin().unwrap();
    let files = t.export(dir.path()).unwrap();
    assert_eq!(files, t.list().len());
    let back = Templates::load(Some(dir.path()), &[]).unwrap();
    for info in t.list() {
        for (part, _) in &info.parts {
            assert_eq!(
                back.source(&info.name, info.lang, *part),
                t.source(&info.name, info.lang, *part)
            );
        }
    }
}

/// A task after the formal notice's slot can be reached without any notice (a scenario
/// whose notice did not apply, a custom scenario, a notice sent by hand outside Recouvre):
/// its text says only what is known — the claims are unpaid — and points to the timeline
/// for the notice, never that a notice "remained without effect" (issue 17).
#[test]
fn legal_tasks_never_claim_a_formal_notice_was_sent() {
    let t = Templates::builtin().unwrap();
    let ctx = MessageContext::sample();
    for name in [
        "legal_review",
        "review_b2c",
        "agency_handoff",
        "key_account_review",
    ] {
        for lang in [Lang::Fr, Lang::En] {
            let text = t
                .render_part(name, lang, Part::Text, &ctx)
                .unwrap()
                .unwrap()
                .to_lowercase();
            for claim in [
                "sans effet",
                "no effect",
                "without effect",
                "joindre les factures, les relances envoyées et la mise en demeure",
                "the reminders sent and the formal notice",
            ] {
                assert!(
                    !text.contains(claim),
                    "{name} ({lang:?}) says {claim:?}:\n{text}"
                );
            }
        }
    }
}

/// Issue 19: an agency's letter lacking a mention CPCE R124-4 requires is refused when it
/// is saved (loaded), naming the mention; one using a word of commissaires de justice is
/// refused naming the word (C. pén. 433-13); the built-in letters carry every mention.
#[test]
fn an_agency_letter_without_a_legal_mention_is_refused_naming_it() {
    let builtin = Templates::builtin().unwrap();
    for lang in [Lang::Fr, Lang::En] {
        let letter = builtin
            .source("agency_letter", lang, Part::Letter)
            .unwrap()
            .to_string();
        assert!(
            recouvre_comms::templates::agency_letter_check(
                "agency_letter",
                lang,
                Part::Letter,
                &letter
            )
            .is_ok()
        );
        // Without paragraph 3 of L111-8.
        let cut = letter.replace(
            "à la charge du débiteur de mauvaise foi",
            "à la charge du débiteur",
        );
        let settings = [(format!("template.agency_letter.{lang}.letter"), cut)];
        let err = Templates::load(None, &settings).unwrap_err().to_string();
        assert!(
            err.contains("paragraph 3 of L111-8") || err.contains("R124-4 5°"),
            "{err}"
        );
        assert!(!err.contains("paragraph 2 of L111-8"), "{err}");
        // Without the interest, the accessories stay but the breakdown is incomplete.
        let cut = letter.replace("{{ totals.interest }}", "");
        let settings = [(format!("template.agency_letter.{lang}.letter"), cut)];
        let err = Templates::load(None, &settings).unwrap_err().to_string();
        assert!(err.contains("R124-4 3° the amount"), "{err}");
    }
    // A word of commissaires de justice, in any part.
    let settings = [(
        "template.agency_letter.fr.subject".to_string(),
        "Commandement de payer — {{ totals.due }}".to_string(),
    )];
    let err = Templates::load(None, &settings).unwrap_err().to_string();
    assert!(
        err.contains("commandement de payer") && err.contains("433-13"),
        "{err}"
    );
    // "exploitation" is not "exploit".
    assert!(
        recouvre_comms::templates::agency_letter_check(
            "agency_letter",
            Lang::Fr,
            Part::Subject,
            "Société d'exploitation {{ sender.name }}"
        )
        .is_ok()
    );
    // Other templates are not agency letters.
    assert!(
        recouvre_comms::templates::agency_letter_check(
            "reminder_1",
            Lang::Fr,
            Part::Text,
            "saisie"
        )
        .is_ok()
    );
}
