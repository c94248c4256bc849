//! Translations with Fluent: one `.ftl` file per language in `crates/web/i18n`, embedded in
//! the binary. The interface language is the user's own, or (signed out) the `lang`
//! cookie, or the browser's `Accept-Language`, French when nothing says.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::sync::Arc;

/// The languages of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Fr,
    En,
}

impl Lang {
    pub const fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().get(..2) {
            Some("fr") => Some(Lang::Fr),
            Some("en") => Some(Lang::En),
            _ => None,
        }
    }

    /// The first of our languages an `Accept-Language` header names, by its weights.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(u32, Lang)> = None;
        for part in header.split(',') {
            let mut it = part.split(';');
            let tag = it.next().unwrap_or("").trim();
            // q=0.8 → 800: weights compared as integers.
            let weight = it
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(1000, |q| {
                    let (int, frac) = q.split_once('.').unwrap_or((q, ""));
                    let frac: String = frac.chars().chain("000".chars()).take(3).collect();
                    int.parse::<u32>().unwrap_or(0) * 1000 + frac.parse::<u32>().unwrap_or(0)
                });
            if let Some(lang) = Lang::parse(tag)
                && best.is_none_or(|(w, _)| weight > w)
            {
                best = Some((weight, lang));
            }
        }
        best.map(|(_, l)| l)
    }
}

/// The bundles of every language.
pub struct I18n {
    fr: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

impl std::fmt::Debug for I18n {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("I18n")
    }
}

fn bundle(code: &str, source: &str) -> Result<FluentBundle<FluentResource>, String> {
    let lang = code
        .parse()
        .map_err(|e| format!("language {code}: {e:?}"))?;
    let resource = FluentResource::try_new(source.to_string())
        .map_err(|(_, errors)| format!("{code}.ftl: {errors:?}"))?;
    let mut b = FluentBundle::new_concurrent(vec![lang]);
    // No Unicode isolation marks around arguments: our texts are all left-to-right.
    b.set_use_isolating(false);
    b.add_resource(resource)
        .map_err(|errors| format!("{code}.ftl: {errors:?}"))?;
    Ok(b)
}

impl I18n {
    pub fn load() -> Result<Self, String> {
        Ok(Self {
            fr: bundle("fr", include_str!("../i18n/fr.ftl"))?,
            en: bundle("en", include_str!("../i18n/en.ftl"))?,
        })
    }

    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        match lang {
            Lang::Fr => &self.fr,
            Lang::En => &self.en,
        }
    }

    /// The message `key` in `lang` with its arguments; the key itself when missing (a test
    /// checks that both files define the same keys).
    pub fn text(&self, lang: Lang, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let b = self.bundle(lang);
        let Some(pattern) = b.get_message(key).and_then(|m| m.value()) else {
            return key.to_string();
        };
        let mut fargs = FluentArgs::new();
        for (k, v) in args {
            fargs.set(*k, v.clone());
        }
        let mut errors = Vec::new();
        b.format_pattern(pattern, (!args.is_empty()).then_some(&fargs), &mut errors)
            .into_owned()
    }

    /// Every message key of a language's file.
    pub fn keys(source: &str) -> Vec<String> {
        source
            .lines()
            .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
            .filter_map(|l| l.split_once(" =").map(|(k, _)| k.trim().to_string()))
            .collect()
    }
}

/// A translator for one language, handed to templates: `{{ t.get("nav-debtors") }}`.
#[derive(Debug, Clone)]
pub struct Tr {
    pub lang: Lang,
    i18n: Arc<I18n>,
}

impl Tr {
    pub fn new(i18n: Arc<I18n>, lang: Lang) -> Self {
        Self { lang, i18n }
    }

    pub fn get(&self, key: &str) -> String {
        self.i18n.text(self.lang, key, &[])
    }

    /// A message with one numeric argument `n` (plural rules apply).
    pub fn n(&self, key: &str, n: impl Count) -> String {
        self.i18n
            .text(self.lang, key, &[("n", FluentValue::from(n.count()))])
    }

    /// A message with one text argument `v`.
    pub fn with(&self, key: &str, v: &str) -> String {
        self.i18n
            .text(self.lang, key, &[("v", FluentValue::from(v.to_string()))])
    }

    pub fn code(&self) -> &'static str {
        self.lang.code()
    }
}

/// A count handed to a plural message, by value or by reference (templates pass either).
pub trait Count {
    fn count(&self) -> i64;
}

macro_rules! count_for {
    ($($t:ty),+) => {$(
        impl Count for $t {
            fn count(&self) -> i64 {
                i64::try_from(*self).unwrap_or(i64::MAX)
            }
        }
        impl Count for &$t {
            fn count(&self) -> i64 {
                i64::try_from(**self).unwrap_or(i64::MAX)
            }
        }
    )+};
}
count_for!(i32, u32, i64, u64, usize);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_define_the_same_keys() {
        let mut fr = I18n::keys(include_str!("../i18n/fr.ftl"));
        let mut en = I18n::keys(include_str!("../i18n/en.ftl"));
        fr.sort();
        en.sort();
        assert!(fr.len() > 50, "{}", fr.len());
        assert_eq!(fr, en);
        I18n::load().unwrap();
    }

    #[test]
    fn accept_language_picks_the_heaviest_of_ours() {
        assert_eq!(
            Lang::from_accept_language("de-DE,en;q=0.8,fr;q=0.9"),
            Some(Lang::Fr)
        );
        assert_eq!(Lang::from_accept_language("en-GB,en;q=0.9"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("de"), None);
    }

    #[test]
    fn plurals_follow_each_language() {
        let i18n = Arc::new(I18n::load().unwrap());
        let fr = Tr::new(i18n.clone(), Lang::Fr);
        let en = Tr::new(i18n, Lang::En);
        // French puts 0 and 1 in the singular, English only 1.
        assert_eq!(fr.n("count-claims", 0), "0 créance");
        assert_eq!(en.n("count-claims", 0), "0 claims");
        assert_eq!(en.n("count-claims", 1), "1 claim");
    }
}
