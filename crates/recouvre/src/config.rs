//! The configuration file (`--config FILE` or `RECOUVRE_CONFIG`): a flat TOML table whose
//! keys are the long options' names with `_` for `-` (`listen`, `run_at`, `db`...), as in
//! `deploy/recouvre.toml`. Each value becomes the option's default wherever the option
//! exists, so an environment variable (`RECOUVRE_LISTEN`...) overrides the file and a
//! command-line flag overrides both. An unknown key, or a value that is not a string, an
//! integer or a boolean, is refused with the file and the key.

use clap::Command;
use domain::tr;
use std::ffi::OsString;
use std::path::PathBuf;

/// The file named by `--config FILE` / `--config=FILE` among `args`, else by
/// `RECOUVRE_CONFIG`.
fn config_path(args: &[OsString]) -> Option<PathBuf> {
    let mut it = args.iter().skip(1);
    while let Some(a) = it.next() {
        let a = a.to_string_lossy();
        if a == "--" {
            break;
        }
        if a == "--config" {
            return it.next().map(PathBuf::from);
        }
        if let Some(p) = a.strip_prefix("--config=") {
            return Some(PathBuf::from(p));
        }
    }
    std::env::var_os("RECOUVRE_CONFIG")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// The `lang` setting of the configuration file `args` name, if it has one (any error
/// in the file is reported by [`apply`], once the language is set).
pub fn lang_setting(args: &[OsString]) -> Option<String> {
    let text = std::fs::read_to_string(config_path(args)?).ok()?;
    let table: toml::Table = toml::from_str(&text).ok()?;
    table.get("lang")?.as_str().map(str::to_string)
}

/// Sets `value` as the default of every argument `id` of `cmd` and its subcommands;
/// counts them in `hits`.
fn set_default(cmd: Command, id: &str, value: &'static str, hits: &mut usize) -> Command {
    let mut cmd = if cmd.get_arguments().any(|a| a.get_id() == id) {
        *hits += 1;
        cmd.mut_arg(id, |a| a.default_value(value))
    } else {
        cmd
    };
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(name, |s| set_default(s, id, value, hits));
    }
    cmd
}

/// `cmd` with the defaults of the configuration file `args` name, if any.
pub fn apply(cmd: Command, args: &[OsString]) -> Result<Command, String> {
    let Some(path) = config_path(args) else {
        return Ok(cmd);
    };
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(&path).map_err(|e| {
        tr!(
            "{shown}: cannot read the configuration file: {e}",
            "{shown} : fichier de configuration illisible : {e}"
        )
    })?;
    apply_text(cmd, &shown, &text)
}

/// [`apply`] on the text of a configuration file named `shown`.
pub fn apply_text(mut cmd: Command, shown: &str, text: &str) -> Result<Command, String> {
    let table: toml::Table = toml::from_str(text).map_err(|e| format!("{shown}: {e}"))?;
    for (key, value) in table {
        let value = match value {
            toml::Value::String(s) => s,
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Boolean(b) => b.to_string(),
            other => {
                let got = other.type_str();
                return Err(tr!(
                    "{shown}: {key}: expected a string, an integer or a boolean, got {got}",
                    "{shown} : {key} : texte, entier ou booléen attendu, et non {got}"
                ));
            }
        };
        if matches!(
            key.as_str(),
            "config" | "as_of" | "json" | "help" | "version"
        ) {
            return Err(tr!(
                "{shown}: {key}: not a setting of the configuration file (a command-line flag only)",
                "{shown} : {key} : pas un réglage du fichier de configuration (option de la ligne de commande seulement)"
            ));
        }
        if key == "lang" {
            // Read before clap parses (`lang_setting`): the language of the help itself.
            if !matches!(value.as_str(), "en" | "fr") {
                return Err(tr!(
                    "{shown}: lang: expected en or fr, got {value:?}",
                    "{shown} : lang : en ou fr attendu, et non {value:?}"
                ));
            }
            continue;
        }
        let value: &'static str = Box::leak(value.into_boxed_str());
        let mut hits = 0;
        cmd = set_default(cmd, &key, value, &mut hits);
        if hits == 0 {
            return Err(tr!(
                "{shown}: {key}: unknown setting (see deploy/recouvre.toml for the settings)",
                "{shown} : {key} : réglage inconnu (les réglages sont dans deploy/recouvre.toml)"
            ));
        }
    }
    Ok(cmd)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command as Sub};
    use clap::{CommandFactory, FromArgMatches, Parser};

    fn parse(text: &str, args: &[&str]) -> Result<Cli, String> {
        let cmd = apply_text(Cli::command(), "test.toml", text)?;
        let m = cmd.try_get_matches_from(args).map_err(|e| e.to_string())?;
        Cli::from_arg_matches(&m).map_err(|e| e.to_string())
    }

    #[test]
    fn the_file_sets_defaults_and_flags_override_it() {
        let text =
            "listen = \"0.0.0.0:9000\"\nrun_at = \"05:45\"\ntick_secs = 10\nno_worker = true\n";
        let cli = parse(text, &["recouvre", "serve"]).unwrap();
        let Sub::Serve(s) = cli.command else { panic!() };
        assert_eq!(s.listen, "0.0.0.0:9000");
        assert_eq!(s.worker.run_at, "05:45");
        assert_eq!(s.worker.tick_secs, 10);
        assert!(s.no_worker);
        let cli = parse(text, &["recouvre", "serve", "--listen", "127.0.0.1:1"]).unwrap();
        let Sub::Serve(s) = cli.command else { panic!() };
        assert_eq!(s.listen, "127.0.0.1:1");
        // The same key reaches `recouvre worker`.
        let cli = parse(text, &["recouvre", "worker"]).unwrap();
        let Sub::Worker(w) = cli.command else {
            panic!()
        };
        assert_eq!(w.run_at, "05:45");
    }

    #[test]
    fn unknown_keys_and_bad_values_are_refused_by_name() {
        let e = parse("lisen = \"x\"", &["recouvre", "serve"]).unwrap_err();
        assert!(e.contains("test.toml: lisen: unknown setting"), "{e}");
        let e = parse("listen = [1]", &["recouvre", "serve"]).unwrap_err();
        assert!(e.contains("test.toml: listen: expected"), "{e}");
        let e = parse("listen = ", &["recouvre", "serve"]).unwrap_err();
        assert!(e.starts_with("test.toml"), "{e}");
        // A value the option refuses is refused when parsed, as if typed.
        assert!(parse("tick_secs = -1", &["recouvre", "worker"]).is_err());
    }

    #[test]
    fn the_example_file_reads_and_holds_the_defaults() {
        let text = include_str!("../../../deploy/recouvre.toml");
        let cli = parse(text, &["recouvre", "serve"]).unwrap();
        let Sub::Serve(s) = cli.command else { panic!() };
        let plain = Cli::try_parse_from(["recouvre", "serve"]).unwrap();
        let Sub::Serve(d) = plain.command else {
            panic!()
        };
        assert_eq!(
            (
                s.listen,
                s.secure_cookies,
                s.no_worker,
                s.worker.run_at,
                s.worker.tick_secs
            ),
            (
                d.listen,
                d.secure_cookies,
                d.no_worker,
                d.worker.run_at,
                d.worker.tick_secs
            )
        );
    }
}
