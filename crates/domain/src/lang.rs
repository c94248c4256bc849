//! The language a process speaks to a person: the CLI speaks one language at a time
//! (`--lang`, `RECOUVRE_LANG`, the system locale), chosen once at start-up with [`set`].
//!
//! Messages written below the faces (an error of a use case, a warning of a reader) are
//! written in both languages with [`tr!`](crate::tr) or [`tr`]: each picks the language
//! set here, or, where none was set (the web server, whose pages choose their language per
//! request, and the library tests), keeps both as "English / français".

use std::sync::atomic::{AtomicU8, Ordering};

/// A language Recouvre speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Fr,
}

impl Lang {
    /// `en` or `fr`.
    pub const fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// The language a locale or language name designates: `fr`, `fr_FR.UTF-8`, `FR`,
    /// `french`, `en_GB`... `None` for another language or an empty value.
    pub fn parse_locale(value: &str) -> Option<Lang> {
        let lower = value.trim().to_ascii_lowercase();
        let head: String = lower
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        match head.as_str() {
            "fr" | "fra" | "fre" | "french" | "francais" => Some(Lang::Fr),
            "en" | "eng" | "english" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language of a process: `flag` (a `--lang` value) first, then `RECOUVRE_LANG`,
    /// then the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`, the first one set and not
    /// empty, as POSIX orders them); English when none names French or English.
    pub fn detect(flag: Option<&str>, env: impl Fn(&str) -> Option<String>) -> Lang {
        if let Some(lang) = flag.and_then(Lang::parse_locale) {
            return lang;
        }
        if let Some(lang) = env("RECOUVRE_LANG").and_then(|v| Lang::parse_locale(&v)) {
            return lang;
        }
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|name| env(name))
            .find(|v| !v.trim().is_empty())
            .and_then(|v| Lang::parse_locale(&v))
            .unwrap_or(Lang::En)
    }
}

/// 0: not set (both languages), 1: English, 2: French.
static CURRENT: AtomicU8 = AtomicU8::new(0);

/// Sets the language of this process's messages (the CLI, once, at start-up).
pub fn set(lang: Lang) {
    let code = match lang {
        Lang::En => 1,
        Lang::Fr => 2,
    };
    CURRENT.store(code, Ordering::Relaxed);
}

/// The language set with [`set`], if any.
pub fn current() -> Option<Lang> {
    match CURRENT.load(Ordering::Relaxed) {
        1 => Some(Lang::En),
        2 => Some(Lang::Fr),
        _ => None,
    }
}

/// `en` or `fr` in the language set, or "en / fr" when none is.
pub fn tr(en: &str, fr: &str) -> String {
    match current() {
        Some(Lang::En) => en.to_string(),
        Some(Lang::Fr) => fr.to_string(),
        None => format!("{en} / {fr}"),
    }
}

/// A message in both languages, formatted like `format!`, given in the language set with
/// [`set`](crate::lang::set) (or both when none is):
/// `tr!("{n} claims imported", "{n} créances importées")`.
#[macro_export]
macro_rules! tr {
    ($en:literal, $fr:literal $(,)?) => {
        match $crate::lang::current() {
            ::core::option::Option::Some($crate::lang::Lang::En) => ::std::format!($en),
            ::core::option::Option::Some($crate::lang::Lang::Fr) => ::std::format!($fr),
            ::core::option::Option::None => {
                ::std::format!("{} / {}", ::std::format!($en), ::std::format!($fr))
            }
        }
    };
    ($en:literal, $fr:literal, $($arg:tt)+) => {
        match $crate::lang::current() {
            ::core::option::Option::Some($crate::lang::Lang::En) => ::std::format!($en, $($arg)+),
            ::core::option::Option::Some($crate::lang::Lang::Fr) => ::std::format!($fr, $($arg)+),
            ::core::option::Option::None => ::std::format!(
                "{} / {}",
                ::std::format!($en, $($arg)+),
                ::std::format!($fr, $($arg)+)
            ),
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn the_flag_wins_then_recouvre_lang_then_the_locale_in_posix_order() {
        let env = env_of(&[("RECOUVRE_LANG", "fr"), ("LANG", "en_US.UTF-8")]);
        assert_eq!(Lang::detect(Some("en"), &env), Lang::En);
        assert_eq!(Lang::detect(None, &env), Lang::Fr);
        let env = env_of(&[("LC_ALL", "fr_FR.UTF-8"), ("LANG", "en_US.UTF-8")]);
        assert_eq!(Lang::detect(None, &env), Lang::Fr);
        // An empty LC_ALL does not count: LANG decides.
        let env = env_of(&[("LC_ALL", ""), ("LANG", "fr_CA.UTF-8")]);
        assert_eq!(Lang::detect(None, &env), Lang::Fr);
        // C, POSIX, German: English.
        assert_eq!(Lang::detect(None, env_of(&[("LANG", "C.UTF-8")])), Lang::En);
        assert_eq!(Lang::detect(None, env_of(&[("LANG", "de_DE")])), Lang::En);
        assert_eq!(Lang::detect(None, env_of(&[])), Lang::En);
    }

    #[test]
    fn with_no_language_set_a_message_keeps_both_with_its_arguments() {
        // No test of this crate calls `set`: the process speaks both.
        let n = 3;
        assert_eq!(
            crate::tr!("{n} claims", "{n} créances"),
            "3 claims / 3 créances"
        );
        assert_eq!(
            crate::tr!("{} of {}", "{} sur {}", 1, n),
            "1 of 3 / 1 sur 3"
        );
        assert_eq!(tr("paid", "payé"), "paid / payé");
    }
}
