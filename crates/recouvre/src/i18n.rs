//! The language the CLI speaks, one at a time: chosen before clap parses the command line
//! (so that the help and clap's own errors speak it too) from `--lang`, `RECOUVRE_LANG`,
//! the configuration file's `lang`, then the locale; English when none says French or
//! English. The French help is applied here from the table of `help_fr.rs`; clap's usage
//! errors are rendered in French by [`French`].

use clap::Command;
use clap::error::{ContextKind, ContextValue, ErrorFormatter, ErrorKind};
use domain::lang::Lang;
use std::ffi::OsString;

/// The value of the CLI's own `--lang` among `args` (`--lang X` or `--lang=X`), if any.
///
/// The walk follows the subcommands of `cmd` so that it skips the values of options (`--db
/// --lang` is a database named `--lang`) and leaves out a subcommand's own `--lang` (the
/// language of a template in `template preview|set`), which is not the CLI's.
pub fn lang_flag(cmd: &Command, args: &[OsString]) -> Option<String> {
    let mut current = cmd;
    let mut found = None;
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(arg) = it.next() {
        if arg == "--" {
            break;
        }
        if let Some(long) = arg.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let own = |c: &Command| {
                c.get_arguments()
                    .find(|a| a.get_long() == Some(name))
                    .cloned()
            };
            let option = own(current).or_else(|| own(cmd).filter(|a| a.is_global_set()));
            let takes_value = option
                .as_ref()
                .is_some_and(|a| a.get_action().takes_values());
            let value = match (inline, takes_value) {
                (Some(v), _) => Some(v),
                (None, true) => it.next().map(|v| v.to_string()),
                (None, false) => None,
            };
            let local = !std::ptr::eq(current, cmd)
                && current.get_arguments().any(|a| a.get_id() == "lang");
            if name == "lang" && !local {
                found = value;
            }
        } else if !arg.starts_with('-')
            && let Some(sub) = current.find_subcommand(arg.as_ref())
        {
            current = sub;
        }
    }
    found
}

/// The language of this run: `--lang`, then `RECOUVRE_LANG`, then `config_lang` (the
/// configuration file's `lang`), then the locale, else English.
pub fn detect(flag: Option<&str>, config_lang: Option<&str>) -> Lang {
    Lang::detect(flag, |name| {
        let value = std::env::var(name).ok();
        if name == "RECOUVRE_LANG" {
            value
                .filter(|v| Lang::parse_locale(v).is_some())
                .or_else(|| config_lang.map(str::to_string))
        } else {
            value
        }
    })
}

/// `cmd` speaking `lang`: unchanged in English (the doc comments), translated from the
/// table of `help_fr.rs` in French.
pub fn localize(cmd: Command, lang: Lang) -> Command {
    match lang {
        Lang::En => cmd,
        Lang::Fr => crate::help_fr::french(cmd),
    }
}

/// clap's usage errors in French ("erreur : argument inattendu…"), as the English
/// `RichFormatter` gives them: the cause, a suggestion, the usage and where to find help.
pub struct French;

impl ErrorFormatter for French {
    fn format_error(error: &clap::error::Error<Self>) -> clap::builder::StyledStr {
        let text = |kind| match error.get(kind) {
            Some(ContextValue::String(s)) => Some(s.clone()),
            Some(ContextValue::Strings(v)) => Some(v.join(", ")),
            Some(ContextValue::StyledStr(s)) => Some(s.to_string()),
            Some(ContextValue::StyledStrs(v)) => Some(
                v.iter()
                    .map(|s| s.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            Some(ContextValue::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let arg = text(ContextKind::InvalidArg).unwrap_or_default();
        let value = text(ContextKind::InvalidValue).unwrap_or_default();
        let mut out = String::from("erreur : ");
        out.push_str(&match error.kind() {
            ErrorKind::InvalidValue if value.is_empty() => {
                format!("une valeur est attendue pour « {arg} »")
            }
            ErrorKind::InvalidValue => format!("valeur « {value} » invalide pour « {arg} »"),
            ErrorKind::ValueValidation => {
                let why = std::error::Error::source(error)
                    .map(|s| format!(" : {s}"))
                    .unwrap_or_default();
                format!("valeur « {value} » invalide pour « {arg} »{why}")
            }
            ErrorKind::UnknownArgument => format!("argument inattendu « {arg} »"),
            ErrorKind::InvalidSubcommand => format!(
                "commande inconnue « {} »",
                text(ContextKind::InvalidSubcommand).unwrap_or_default()
            ),
            ErrorKind::NoEquals => format!("« {arg} » attend sa valeur après un signe ="),
            ErrorKind::TooManyValues => {
                format!("valeur « {value} » en trop pour « {arg} »")
            }
            ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
                format!("nombre de valeurs incorrect pour « {arg} »")
            }
            ErrorKind::ArgumentConflict => {
                let prior = text(ContextKind::PriorArg).unwrap_or_default();
                if prior == arg {
                    format!("l'argument « {arg} » ne peut être donné qu'une fois")
                } else {
                    format!("l'argument « {arg} » ne peut pas être donné avec « {prior} »")
                }
            }
            ErrorKind::MissingRequiredArgument => {
                format!("arguments obligatoires absents : {arg}")
            }
            ErrorKind::MissingSubcommand => format!(
                "« {} » attend une sous-commande",
                text(ContextKind::InvalidSubcommand).unwrap_or_default()
            ),
            ErrorKind::InvalidUtf8 => "argument qui n'est pas de l'UTF-8 valide".to_string(),
            _ => std::error::Error::source(error)
                .map(|s| s.to_string())
                .unwrap_or_else(|| "ligne de commande invalide".to_string()),
        });
        if let Some(valid) = text(ContextKind::ValidValue) {
            out.push_str(&format!("\n  [valeurs possibles : {valid}]"));
        }
        if let Some(valid) = text(ContextKind::ValidSubcommand) {
            out.push_str(&format!("\n  [sous-commandes : {valid}]"));
        }
        for kind in [
            ContextKind::SuggestedArg,
            ContextKind::SuggestedSubcommand,
            ContextKind::SuggestedValue,
        ] {
            if let Some(s) = text(kind) {
                out.push_str(&format!("\n\n  astuce : peut-être « {s} »"));
            }
        }
        if let Some(usage) = text(ContextKind::Usage) {
            out.push_str("\n\n");
            out.push_str(&usage.replacen("Usage:", "Utilisation :", 1));
        }
        out.push_str("\n\nPour en savoir plus, essayez « --help ».\n");
        clap::builder::StyledStr::from(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn flag(args: &[&str]) -> Option<String> {
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        lang_flag(&crate::cli::Cli::command(), &args)
    }

    #[test]
    fn the_cli_lang_is_found_anywhere_but_not_a_templates_own_lang() {
        assert_eq!(flag(&["r", "--lang", "fr", "summary"]), Some("fr".into()));
        assert_eq!(flag(&["r", "summary", "--lang=en"]), Some("en".into()));
        assert_eq!(
            flag(&["r", "report", "aging", "--lang", "fr"]),
            Some("fr".into())
        );
        // The value of another option is not a flag.
        assert_eq!(flag(&["r", "--db", "--lang", "summary"]), None);
        // `template preview --lang` is the template's language.
        assert_eq!(
            flag(&[
                "r", "template", "preview", "x", "--debtor", "1", "--lang", "fr"
            ]),
            None
        );
        assert_eq!(
            flag(&[
                "r", "--lang", "en", "template", "preview", "x", "--lang", "fr"
            ]),
            Some("en".into())
        );
        assert_eq!(flag(&["r", "summary", "--", "--lang", "fr"]), None);
    }
}
