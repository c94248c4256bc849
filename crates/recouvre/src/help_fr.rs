//! The French help of the command line. The English help is the doc comments of
//! `cli.rs` (and clap's own "Print help"); this table gives each English text its French
//! one, applied to the built `clap::Command` when the CLI speaks French, with clap's
//! headings, `[default: …]` and the like rendered in French. It is keyed by the English
//! text rather than by command and argument: the many options that share a help
//! (`--rates-dir`, `--debtor`…) share its translation, and an English help reworded
//! without its French fails the test below, which walks every command and argument.

use clap::builder::StyledStr;
use clap::{Arg, Command};

/// The whole command line, its help in French.
pub fn french(mut cmd: Command) -> Command {
    // Built first: the help flags and `help` subcommands, and the global options copied
    // into every subcommand, exist only then, and are translated with the rest.
    cmd.build();
    command(cmd)
}

const TEMPLATE: &str = "\
{before-help}{about-with-newline}
Utilisation : {usage}

{all-args}{after-help}";

fn command(cmd: Command) -> Command {
    let mut cmd = cmd
        .help_template(TEMPLATE)
        .subcommand_help_heading("Commandes")
        .subcommand_value_name("COMMANDE");
    if let Some(fr) = cmd.get_long_about().or(cmd.get_about()).and_then(text) {
        cmd = cmd.about(fr).long_about(None);
    }
    cmd = cmd.mut_args(argument);
    cmd.mut_subcommands(command)
}

fn argument(arg: Arg) -> Arg {
    let mut notes = Vec::new();
    let mut arg = arg;
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() && !arg.is_hide_default_value_set() && arg.get_action().takes_values() {
        notes.push(format!("[défaut : {}]", defaults.join(", ")));
        arg = arg.hide_default_value(true);
    }
    if let Some(env) = arg.get_env().filter(|_| !arg.is_hide_env_set()) {
        notes.push(format!("[variable : {}]", env.to_string_lossy()));
        arg = arg.hide_env(true);
    }
    let values: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    if !values.is_empty() && !arg.is_hide_possible_values_set() {
        notes.push(format!("[valeurs possibles : {}]", values.join(", ")));
        arg = arg.hide_possible_values(true);
    }
    let aliases: Vec<String> = arg
        .get_visible_aliases()
        .unwrap_or_default()
        .iter()
        .map(|a| a.to_string())
        .collect();
    if !aliases.is_empty() {
        notes.push(format!("[alias : --{}]", aliases.join(", --")));
        arg = arg.visible_alias(None);
        for alias in aliases {
            // clap keeps names as `&'static str` (no "string" feature): a few bytes, once.
            let alias: &'static str = Box::leak(alias.into_boxed_str());
            arg = arg.alias(alias);
        }
    }
    let help = arg
        .get_long_help()
        .or(arg.get_help())
        .and_then(text)
        .unwrap_or_default()
        .to_string();
    let help = [help]
        .into_iter()
        .chain(notes)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if help.is_empty() {
        arg
    } else {
        arg.help(help).long_help(None)
    }
}

/// The French text of an English help, its lines joined.
fn text(english: &StyledStr) -> Option<&'static str> {
    let english = normalize(&english.to_string());
    FR.iter().find(|(en, _)| *en == english).map(|(_, fr)| *fr)
}

fn normalize(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Each English help of the command line and its French, in English alphabetical order.
const FR: &[(&str, &str)] = &[
    (
        r#"End a mandate on --as-of (its last day in force): nothing is placed under it after"#,
        r#"Mettre fin à un mandat le jour de --as-of (son dernier jour en vigueur) : plus rien n'est confié à ce titre ensuite"#,
    ),
    (
        r#"Also e-mail each client the notices not yet e-mailed (SMTP of `settings smtp`)"#,
        r#"Envoyer aussi par e-mail à chaque client les avis qui ne lui ont pas encore été envoyés (SMTP de `settings smtp`)"#,
    ),
    (
        r#"Also write the files as an XLSX workbook here"#,
        r#"Écrire aussi les dossiers en classeur XLSX ici"#,
    ),
    (
        r#"Place the claims of a CSV file (columns `mandate` and `claim`, or `claim` alone with --mandate), all or nothing, on --as-of"#,
        r#"Confier les créances d'un fichier CSV (colonnes `mandate` et `claim`, ou `claim` seule avec --mandate), tout ou rien, le jour de --as-of"#,
    ),
    (
        r#"The mandate of every line without one"#,
        r#"Le mandat de chaque ligne qui n'en nomme pas"#,
    ),
    (r#"The CSV file"#, r#"Le fichier CSV"#),
    (
        r#"Also write the statement and fee invoice as a PDF here"#,
        r#"Écrire aussi le relevé et la facture d'honoraires en PDF ici"#,
    ),
    (
        r#"The agency's SIREN and VAT number, as its fee invoices read them"#,
        r#"Le SIREN et le numéro de TVA de l'agence, tels que ses factures d'honoraires les portent"#,
    ),
    (
        r#"A client's report: files placed, recovered, recovery rate, files closed and why, statements; for placements up to --to and collections from --from"#,
        r#"Le rapport d'un client : dossiers confiés, recouvré, taux de recouvrement, dossiers clos et pourquoi, relevés ; pour les dossiers confiés jusqu'à --to et les encaissements depuis --from"#,
    ),
    (
        r#"A fee per file recovered in full"#,
        r#"Un honoraire par dossier recouvré en totalité"#,
    ),
    (
        r#"A fixed fee per file placed"#,
        r#"Un frais fixe par dossier confié"#,
    ),
    (
        r#"Agency mode: claims placed with the agency under a mandate, and withdrawn"#,
        r#"Mode agence : créances confiées à l'agence au titre d'un mandat, et retirées"#,
    ),
    (
        r#"Agency mode: client creditors, their identity on letters, their users and report"#,
        r#"Mode agence : créanciers clients, leur identité sur les courriers, leurs utilisateurs et leur rapport"#,
    ),
    (
        r#"Agency mode: clients' written mandates (R124-3) with fee and remittance terms"#,
        r#"Mode agence : mandats écrits des clients (R124-3) avec leurs conditions de rémunération et de reversement"#,
    ),
    (
        r#"Agency mode: remittances to clients (statements, fees, pain.001 transfers), the one-month deadline, the notices to clients"#,
        r#"Mode agence : reversements aux clients (relevés, honoraires, virements pain.001), le délai d'un mois, les avis aux clients"#,
    ),
    (
        r#"Also build a collection agency's work: client creditors under mandates with different fee terms, files placed, payments, remittances, a user per client"#,
        r#"Construire aussi l'activité d'une agence de recouvrement : créanciers clients sous mandats aux rémunérations différentes, dossiers confiés, paiements, reversements, un utilisateur par client"#,
    ),
    (
        r#"Also write the files as CSV here"#,
        r#"Écrire aussi les dossiers en CSV ici"#,
    ),
    (
        r#"Collections not remitted by their deadline (a month after collection, R124-6)"#,
        r#"Encaissements non reversés dans leur délai (un mois après l'encaissement, R124-6)"#,
    ),
    (
        r#"Create a user of the role `client`, bound to one creditor: it sees only that creditor's files, in the client space"#,
        r#"Créer un utilisateur du rôle `client`, rattaché à un créancier : il ne voit que les dossiers de ce créancier, dans l'espace client"#,
    ),
    (
        r#"Issue the remittance statements of a month, one per mandate, with the SEPA credit transfer (pain.001) paying each; a month already issued is left alone"#,
        r#"Émettre les relevés de reversement d'un mois, un par mandat, avec le virement SEPA (pain.001) qui paie chacun ; un mois déjà émis est laissé tel quel"#,
    ),
    (
        r#"Lines separated by new lines or ", ""#,
        r#"Lignes séparées par des retours à la ligne ou « , »"#,
    ),
    (
        r#"Months within which collected funds are remitted (R124-6: 1 unless agreed)"#,
        r#"Mois dans lesquels les fonds encaissés sont reversés (R124-6 : 1 sauf accord)"#,
    ),
    (
        r#"One statement: its lines, commission, fees, VAT, what was remitted"#,
        r#"Un relevé : ses lignes, commission, frais, TVA, ce qui a été reversé"#,
    ),
    (r#"Only this client"#, r#"Ce client seulement"#),
    (
        r#"Place claims with the agency under a mandate in force on --as-of (all or nothing)"#,
        r#"Confier des créances à l'agence au titre d'un mandat en vigueur le jour de --as-of (tout ou rien)"#,
    ),
    (
        r#"Record a client's written mandate (R124-3) with its fee and remittance terms"#,
        r#"Enregistrer le mandat écrit d'un client (R124-3) avec ses conditions de rémunération et de reversement"#,
    ),
    (
        r#"SIREN or RCS, as it should read"#,
        r#"SIREN ou RCS, tel qu'il doit apparaître"#,
    ),
    (
        r#"Set a client's own identity, used on every letter and message about its claims (what is not given stays as it was)"#,
        r#"Renseigner l'identité propre d'un client, utilisée sur chaque courrier et message concernant ses créances (ce qui n'est pas donné reste inchangé)"#,
    ),
    (
        r#"Set the agency's client-funds account, from which remittances are paid (R124-2)"#,
        r#"Renseigner le compte de fonds clients de l'agence, d'où les reversements sont payés (R124-2)"#,
    ),
    (
        r#"Tell clients of payments and debtor proposals on their files (R124-5), once each"#,
        r#"Informer les clients des paiements et des propositions des débiteurs sur leurs dossiers (R124-5), une fois chacun"#,
    ),
    (r#"The account holder"#, r#"Le titulaire du compte"#),
    (
        r#"The account holder's name (default: the creditor's name)"#,
        r#"Le nom du titulaire du compte (par défaut : le nom du créancier)"#,
    ),
    (
        r#"The agency's liability insurance: insurer and policy (R124-3 2°)"#,
        r#"L'assurance de responsabilité de l'agence : assureur et police (R124-3 2°)"#,
    ),
    (r#"The claim's number"#, r#"Le numéro de la créance"#),
    (
        r#"The claims' numbers (or external ids)"#,
        r#"Les numéros des créances (ou leurs identifiants externes)"#,
    ),
    (
        r#"The client creditor's code"#,
        r#"Le code du créancier client"#,
    ),
    (
        r#"The client creditors: their mandates, files placed and what was recovered"#,
        r#"Les créanciers clients : leurs mandats, dossiers confiés et ce qui a été recouvré"#,
    ),
    (
        r#"The client takes a file back on --as-of; prints its closing report"#,
        r#"Le client reprend un dossier le jour de --as-of ; affiche son rapport de clôture"#,
    ),
    (
        r#"The client's account remittances are paid to"#,
        r#"Le compte du client sur lequel les reversements sont payés"#,
    ),
    (
        r#"The commission: `15` (percent of each collection), `amount:1000=15,5000=12,*=8` (by principal placed) or `age:90=10,365=15,*=25` (by days past due at placement)"#,
        r#"La commission : `15` (pourcentage de chaque encaissement), `amount:1000=15,5000=12,*=8` (selon le principal confié) ou `age:90=10,365=15,*=25` (selon les jours de retard à la remise)"#,
    ),
    (
        r#"The day it was signed (in force from then)"#,
        r#"Le jour de sa signature (en vigueur dès lors)"#,
    ),
    (
        r#"The files placed (of one client with --creditor)"#,
        r#"Les dossiers confiés (d'un client avec --creditor)"#,
    ),
    (
        r#"The last day it is in force"#,
        r#"Le dernier jour où il est en vigueur"#,
    ),
    (
        r#"The least commission on one collection"#,
        r#"La commission minimale sur un encaissement"#,
    ),
    (r#"The login"#, r#"L'identifiant"#),
    (r#"The mandate's currency"#, r#"La devise du mandat"#),
    (r#"The mandate's reference"#, r#"La référence du mandat"#),
    (
        r#"The mandates, with their terms"#,
        r#"Les mandats, avec leurs conditions"#,
    ),
    (
        r#"The month (YYYY-MM); default: the month before --as-of"#,
        r#"Le mois (AAAA-MM) ; par défaut : le mois précédant --as-of"#,
    ),
    (
        r#"The password (at least 12 characters); read from RECOUVRE_PASSWORD when absent"#,
        r#"Le mot de passe (au moins 12 caractères) ; lu dans RECOUVRE_PASSWORD s'il est absent"#,
    ),
    (
        r#"The payment's position in the claim's ledger; default: its latest payment"#,
        r#"La position du paiement dans le grand livre de la créance ; par défaut : son dernier paiement"#,
    ),
    (
        r#"The remittance statements, newest first"#,
        r#"Les relevés de reversement, du plus récent au plus ancien"#,
    ),
    (r#"The statement's id"#, r#"L'identifiant du relevé"#),
    (
        r#"VAT on the fees, percent"#,
        r#"TVA sur les honoraires, en pourcentage"#,
    ),
    (
        r#"What the mandate covers, as agreed"#,
        r#"Ce que couvre le mandat, tel que convenu"#,
    ),
    (r#"Why"#, r#"Pourquoi"#),
    (
        r#"Write each transfer file (pain.001) into this folder"#,
        r#"Écrire chaque fichier de virement (pain.001) dans ce dossier"#,
    ),
    (
        r#"Write the pain.001 transfer of a statement"#,
        r#"Écrire le virement pain.001 d'un relevé"#,
    ),
    (
        r#"Write the receipt ("quittance", R124-6) of a payment on a placed file, as a PDF in the debtor's language"#,
        r#"Écrire la quittance (R124-6) d'un paiement sur un dossier confié, en PDF dans la langue du débiteur"#,
    ),
    (r#"fr or en"#, r#"fr ou en"#),
    (
        r#"A PEM file of certificate authorities to trust besides the public ones (a relay whose certificate an internal authority signed)"#,
        r#"Un fichier PEM d'autorités de certification à accepter en plus des publiques (un relais dont le certificat est signé par une autorité interne)"#,
    ),
    (
        r#"A bank statement: camt.053/054, MT940 or CSV. New credits are matched to open claims; confident matches are applied, the others wait in `recouvre payments review`"#,
        r#"Un relevé bancaire : camt.053/054, MT940 ou CSV. Les nouveaux crédits sont rapprochés des créances ouvertes ; les rapprochements sûrs sont affectés, les autres attendent dans `recouvre payments review`"#,
    ),
    (
        r#"A configuration file (TOML: `listen`, `db`, `run_at`... as in deploy/recouvre.toml) whose values are the defaults; environment variables and flags override them"#,
        r#"Un fichier de configuration (TOML : `listen`, `db`, `run_at`… comme deploy/recouvre.toml) dont les valeurs sont celles par défaut ; variables d'environnement et options l'emportent"#,
    ),
    (
        r#"A factor's claims only: Recouvre stops dunning them (the factor collects)"#,
        r#"Créances d'un factor seulement : Recouvre cesse de les relancer (le factor recouvre)"#,
    ),
    (
        r#"A fixed instalment amount (the last one is smaller)"#,
        r#"Un montant d'échéance fixe (la dernière est plus petite)"#,
    ),
    (
        r#"A folder of message templates (DIR/<lang>/<name>.toml, as `template export` writes them) that replace the built-in texts"#,
        r#"Un dossier de modèles de messages (DIR/<lang>/<name>.toml, comme les écrit `template export`) qui remplacent les textes intégrés"#,
    ),
    (
        r#"A folder of rate .toml files (same format as crates/domain/rates) that add to or replace the built-in tables, e.g. with a newly published rate"#,
        r#"Un dossier de fichiers de taux .toml (même format que crates/domain/rates) qui complètent ou remplacent les tables intégrées, par exemple par un taux tout juste publié"#,
    ),
    (
        r#"A folder where a verified backup of the database is written every day (as `recouvre backup DIR --keep N` does), at `--backup-at`"#,
        r#"Un dossier où une sauvegarde vérifiée de la base est écrite chaque jour (comme le fait `recouvre backup DIR --keep N`), à `--backup-at`"#,
    ),
    (
        r#"A folder whose bank statement files (camt, MT940) are imported as they arrive, then moved to `done/` or `failed/` inside it"#,
        r#"Un dossier dont les relevés bancaires (camt, MT940) sont importés dès leur arrivée, puis déplacés dans `done/` ou `failed/` à l'intérieur"#,
    ),
    (
        r#"A promise made on the call: the amount (with --promise-due)"#,
        r#"Une promesse faite pendant l'appel : la somme (avec --promise-due)"#,
    ),
    (
        r#"A reference of an attachment (file name, document id). Repeatable"#,
        r#"La référence d'une pièce jointe (nom de fichier, identifiant de document). Répétable"#,
    ),
    (
        r#"A reference to the proof: document name, docket number"#,
        r#"La référence de la preuve : nom du document, numéro de rôle"#,
    ),
    (
        r#"A value for a column the file lacks or leaves empty: `column=value`, e.g. `debtor_kind=company`. Repeatable"#,
        r#"Une valeur pour une colonne absente ou vide du fichier : `colonne=valeur`, par exemple `debtor_kind=company`. Répétable"#,
    ),
    (
        r#"Add a creditor (a client of a collection agency, or another company), or show and set an existing creditor's terms of sale"#,
        r#"Ajouter un créancier (client d'une agence de recouvrement, ou autre société), ou afficher et modifier les conditions de vente d'un créancier existant"#,
    ),
    (
        r#"Add a user; the password is asked for (or read from standard input)"#,
        r#"Ajouter un utilisateur ; le mot de passe est demandé (ou lu sur l'entrée standard)"#,
    ),
    (
        r#"Address and port to listen on"#,
        r#"Adresse et port d'écoute"#,
    ),
    (
        r#"Address lines, separated by new lines or ", ""#,
        r#"Lignes d'adresse, séparées par des retours à la ligne ou « , »"#,
    ),
    (
        r#"Agreed late-penalty rate: `12%`, `1%/month`, `3x legal`, `ecb+10` (`none` clears)"#,
        r#"Taux de pénalités de retard convenu : `12%`, `1%/month`, `3x legal`, `ecb+10` (`none` l'efface)"#,
    ),
    (
        r#"Agreed payment term: `60d`, `30 jours`, `45d eom` (`none` clears)"#,
        r#"Délai de paiement convenu : `60d`, `30 jours`, `45d eom` (`none` l'efface)"#,
    ),
    (
        r#"Apply a waiting payment on the claims named (ids), or on the top suggestion"#,
        r#"Affecter un paiement en attente aux créances indiquées (identifiants), ou à la première suggestion"#,
    ),
    (
        r#"Apply the postal operator's tracking export (CSV: reference or notice or tracking_number, presented_on, received_on), all lines or none"#,
        r#"Appliquer l'export de suivi de l'opérateur postal (CSV : reference ou notice ou tracking_number, presented_on, received_on), toutes les lignes ou aucune"#,
    ),
    (
        r#"Approve a draft: it goes out with the planned actions"#,
        r#"Approuver un brouillon : il part avec les actions prévues"#,
    ),
    (
        r#"Assign a claim, or all of a debtor's claims, to a factor or an insurer"#,
        r#"Céder une créance, ou toutes celles d'un débiteur, à un factor ou la couvrir par un assureur"#,
    ),
    (
        r#"Assign a debtor's case to a collector (a user's login), whose worklist then shows its tasks; `--nobody` returns it to the shared pool"#,
        r#"Confier le dossier d'un débiteur à un chargé de recouvrement (identifiant d'un utilisateur), dont la liste de travail montre alors les tâches ; `--nobody` le remet au pot commun"#,
    ),
    (
        r#"Assign every claim of this debtor"#,
        r#"Céder toutes les créances de ce débiteur"#,
    ),
    (
        r#"Assigned and insured claims: factors, credit insurers and what is assigned to them"#,
        r#"Créances cédées et assurées : factors, assureurs-crédit et ce qui leur est confié"#,
    ),
    (
        r#"At most this many SMS parts per message"#,
        r#"Au plus ce nombre de segments SMS par message"#,
    ),
    (
        r#"B2B scheme rather than CORE"#,
        r#"Schéma B2B plutôt que CORE"#,
    ),
    (
        r#"Bank payments: list them, review the ones waiting, apply or ignore one"#,
        r#"Paiements bancaires : les lister, revoir ceux en attente, en affecter ou en écarter un"#,
    ),
    (
        r#"Bank transactions, newest first (the default)"#,
        r#"Opérations bancaires, les plus récentes d'abord (par défaut)"#,
    ),
    (
        r#"Bind a co-debtor (jointly and severally liable) or a guarantor to a claim"#,
        r#"Lier un codébiteur solidaire ou une caution à une créance"#,
    ),
    (
        r#"Build a realistic demo portfolio in a fresh database and show its summary"#,
        r#"Construire un portefeuille de démonstration réaliste dans une base neuve et en afficher la synthèse"#,
    ),
    (
        r#"Build the demo and stop, without serving the interface (scripts and CI)"#,
        r#"Construire la démonstration et s'arrêter, sans servir l'interface (scripts et CI)"#,
    ),
    (
        r#"CSV columns: `key=Header`, e.g. `amount=Montant`, `date=Date opération`, `remittance=Libellé`, `payer_name=Nom`, `payer_iban=IBAN`, `account=FR76...`, `currency=EUR`. Repeatable"#,
        r#"Colonnes CSV : `clé=En-tête`, par exemple `amount=Montant`, `date=Date opération`, `remittance=Libellé`, `payer_name=Nom`, `payer_iban=IBAN`, `account=FR76...`, `currency=EUR`. Répétable"#,
    ),
    (
        r#"Change a user's role (admin, manager, collector, viewer); their sessions end"#,
        r#"Changer le rôle d'un utilisateur (admin, manager, collector, viewer) ; ses sessions prennent fin"#,
    ),
    (
        r#"Claim ids, comma-separated: `--claims 12,15`"#,
        r#"Identifiants de créances, séparés par des virgules : `--claims 12,15`"#,
    ),
    (
        r#"Claim them: post to the claim's ledger the interest computed to the day and the indemnity, less what it already holds (audited). Payments then settle them before the principal (C. civ. 1343-1)"#,
        r#"Les réclamer : porter au compte de la créance les intérêts calculés au jour et l'indemnité, moins ce qu'il contient déjà (journalisé). Les paiements les soldent alors avant le principal (C. civ. 1343-1)"#,
    ),
    (
        r#"Claims (invoices) and their debtors from CSV. See `crates/formats/CLAIMS_CSV.md`"#,
        r#"Créances (factures) et leurs débiteurs depuis un CSV. Voir `crates/formats/CLAIMS_CSV.md`"#,
    ),
    (
        r#"Co-debtors and guarantors of a claim"#,
        r#"Codébiteurs et cautions d'une créance"#,
    ),
    (
        r#"Co-debtors' consents to a plan"#,
        r#"Accords des codébiteurs à un échéancier"#,
    ),
    (
        r#"Copy a whole database into another, empty one (e.g. SQLite to PostgreSQL), verified by counts and balances"#,
        r#"Copier toute une base dans une autre, vide (par exemple de SQLite vers PostgreSQL), vérifiée par comptages et soldes"#,
    ),
    (
        r#"Create an API token for a user and print it (it is shown only once)"#,
        r#"Créer un jeton d'API pour un utilisateur et l'afficher (il n'est montré qu'une fois)"#,
    ),
    (
        r#"Create drafts to approve (`recouvre actions approve ID`) instead of planned actions"#,
        r#"Créer des brouillons à approuver (`recouvre actions approve ID`) au lieu d'actions prévues"#,
    ),
    (
        r#"Create the database (or migrate it) and the first creditor"#,
        r#"Créer la base (ou la migrer) et le premier créancier"#,
    ),
    (
        r#"Database: a file path, `sqlite:PATH` or `postgres://user@host/db`. Default: recouvre.db in the platform data directory"#,
        r#"Base de données : chemin d'un fichier, `sqlite:PATH` ou `postgres://user@host/db`. Par défaut : recouvre.db dans le dossier de données de la plateforme"#,
    ),
    (r#"Date of signature"#, r#"Date de signature"#),
    (
        r#"Date order: auto, iso, dmy or mdy"#,
        r#"Ordre des dates : auto, iso, dmy ou mdy"#,
    ),
    (
        r#"Days after a claim's due date within which a threatened loss is declared"#,
        r#"Jours après l'échéance d'une créance pour déclarer une menace de sinistre"#,
    ),
    (
        r#"Days after an instalment's due date before it counts as missed"#,
        r#"Jours après l'échéance d'un versement avant qu'il compte comme manqué"#,
    ),
    (
        r#"Days given to pay in a formal notice (default 8)"#,
        r#"Jours laissés pour payer dans une mise en demeure (8 par défaut)"#,
    ),
    (
        r#"Days until the token expires (1 to 3650); without it, it does not expire"#,
        r#"Jours avant l'expiration du jeton (1 à 3650) ; sans cela, il n'expire pas"#,
    ),
    (
        r#"Deactivate a user: no more sign-in, their sessions end, their tokens are refused"#,
        r#"Désactiver un utilisateur : plus de connexion, ses sessions prennent fin, ses jetons sont refusés"#,
    ),
    (
        r#"Decide and show, write nothing"#,
        r#"Décider et afficher, sans rien écrire"#,
    ),
    (
        r#"Deliver the e-mails of the demo's day to this SMTP server (`smtp://HOST:PORT`, plain: a local test server), before serving"#,
        r#"Envoyer les e-mails du jour de la démonstration à ce serveur SMTP (`smtp://HOST:PORT`, en clair : un serveur de test local), avant de servir"#,
    ),
    (
        r#"Deliver what is due now, then exit (otherwise: keep delivering until Ctrl-C)"#,
        r#"Envoyer ce qui est à envoyer maintenant, puis s'arrêter (sinon : continuer jusqu'à Ctrl-C)"#,
    ),
    (r#"Disputes ("litiges")"#, r#"Litiges"#),
    (
        r#"Disputes by reason: open ones by age, overdue ones, time to resolve"#,
        r#"Litiges par motif : ouverts par ancienneté, en retard, délai de résolution"#,
    ),
    (
        r#"End the assignment of a claim or a debtor"#,
        r#"Mettre fin à la cession d'une créance ou d'un débiteur"#,
    ),
    (
        r#"Entries, newest first"#,
        r#"Entrées, les plus récentes d'abord"#,
    ),
    (
        r#"Every template, its languages and parts, and where each part comes from"#,
        r#"Chaque modèle, ses langues et ses parties, et l'origine de chaque partie"#,
    ),
    (
        r#"Field separator; detected from the header when omitted"#,
        r#"Séparateur de champs ; déduit de l'en-tête s'il est omis"#,
    ),
    (
        r#"First day of the period of kpis and effectiveness (default: 90 days ending --to); for payment-terms, the first day of the financial year (default: the day after the closing date a year earlier)"#,
        r#"Premier jour de la période de kpis et effectiveness (par défaut : les 90 jours finissant à --to) ; pour payment-terms, le premier jour de l'exercice (par défaut : le lendemain de la clôture un an plus tôt)"#,
    ),
    (
        r#"First presentation of the letter"#,
        r#"Première présentation de la lettre"#,
    ),
    (
        r#"Folder to write `letters-DATE.pdf` and `letters-DATE.csv` into (default: the current folder)"#,
        r#"Dossier où écrire `letters-DATE.pdf` et `letters-DATE.csv` (par défaut : le dossier courant)"#,
    ),
    (
        r#"Formal notices ("mises en demeure"): record one, its delivery, the postal tracking"#,
        r#"Mises en demeure : en enregistrer une, sa remise, le suivi postal"#,
    ),
    (
        r#"Formal notices, oldest first, with their delivery"#,
        r#"Mises en demeure, les plus anciennes d'abord, avec leur remise"#,
    ),
    (
        r#"From when (default: today)"#,
        r#"À partir de quand (par défaut : aujourd'hui)"#,
    ),
    (
        r#"Go back to the shipped scenarios"#,
        r#"Revenir aux scénarios livrés"#,
    ),
    (
        r#"Granted by a court ("délais de grâce", at most 2 years): terms cannot be changed"#,
        r#"Accordé par un juge (délais de grâce, 2 ans au plus) : ses termes ne peuvent pas changer"#,
    ),
    (
        r#"Group the aged balance by debtor, creditor, currency, country, segment or collector"#,
        r#"Grouper la balance âgée par débiteur, créancier, devise, pays, segment ou chargé de recouvrement"#,
    ),
    (
        r#"How long a claim lasts, in seconds, before another worker may take it over"#,
        r#"Durée d'une prise en charge, en secondes, avant qu'un autre processus puisse la reprendre"#,
    ),
    (
        r#"How many daily backups are kept in `--backup-dir`"#,
        r#"Nombre de sauvegardes quotidiennes gardées dans `--backup-dir`"#,
    ),
    (
        r#"How much, in the claim's currency (default: everything open)"#,
        r#"Combien, dans la devise de la créance (par défaut : tout le reste dû)"#,
    ),
    (
        r#"ISO country code of your company"#,
        r#"Code pays ISO de votre société"#,
    ),
    (
        r#"Import data from a file"#,
        r#"Importer des données depuis un fichier"#,
    ),
    (
        r#"Include settled and written-off claims"#,
        r#"Inclure les créances soldées et passées en perte"#,
    ),
    (
        r#"Interest on the remaining principal, % a year (e.g. 3.5)"#,
        r#"Intérêts sur le principal restant, en % par an (par exemple 3.5)"#,
    ),
    (
        r#"Interface language: fr or en"#,
        r#"Langue de l'interface : fr ou en"#,
    ),
    (
        r#"Last day of the hold (YYYY-MM-DD)"#,
        r#"Dernier jour de la suspension (AAAA-MM-JJ)"#,
    ),
    (
        r#"Last day of the period (default: the --as-of day, or today); for payment-terms, the closing date"#,
        r#"Dernier jour de la période (par défaut : le jour de --as-of, ou aujourd'hui) ; pour payment-terms, la date de clôture"#,
    ),
    (
        r#"Last day simulated (default: the --as-of day, or today)"#,
        r#"Dernier jour simulé (par défaut : le jour de --as-of, ou aujourd'hui)"#,
    ),
    (
        r#"Late interest and fixed indemnity of one claim, period by period"#,
        r#"Intérêts de retard et indemnité forfaitaire d'une créance, période par période"#,
    ),
    (
        r#"Legal routes open against a debtor, their costs, and whether to litigate"#,
        r#"Voies de droit ouvertes contre un débiteur, leurs coûts, et s'il faut agir en justice"#,
    ),
    (
        r#"Letters ("courriers"): the day's printable batch of registered letters and its deposit list; the sender's details"#,
        r#"Courriers : le lot imprimable des lettres recommandées du jour et sa liste de dépôt ; les coordonnées de l'expéditeur"#,
    ),
    (r#"Lift the hold"#, r#"Lever la suspension"#),
    (
        r#"Limitation events (written acknowledgment, court claim and its outcome, enforcement act, mediation, judgment): record one on a claim or a debtor, or list them. They move the deadlines `recouvre limitation` shows"#,
        r#"Événements de prescription (reconnaissance écrite, demande en justice et son issue, acte d'exécution, médiation, jugement) : en enregistrer un sur une créance ou un débiteur, ou les lister. Ils déplacent les échéances qu'affiche `recouvre limitation`"#,
    ),
    (
        r#"List a user's API tokens: name, created, expires, revoked (never the secret)"#,
        r#"Lister les jetons d'API d'un utilisateur : nom, création, expiration, révocation (jamais le secret)"#,
    ),
    (
        r#"List debtors with what they owe, largest overdue first"#,
        r#"Lister les débiteurs avec ce qu'ils doivent, plus gros retards d'abord"#,
    ),
    (
        r#"List dunning actions, newest first; approve or skip one"#,
        r#"Lister les actions de relance, les plus récentes d'abord ; en approuver ou en écarter une"#,
    ),
    (
        r#"List open claims, oldest due date first"#,
        r#"Lister les créances ouvertes, échéance la plus ancienne d'abord"#,
    ),
    (
        r#"List the interest-rate tables (ECB, French legal rate, German base rate, Bank of England) with their sources"#,
        r#"Lister les tables de taux d'intérêt (BCE, taux légal français, taux de base allemand, Banque d'Angleterre) avec leurs sources"#,
    ),
    (
        r#"List the limitation events of one debtor (its own, its claims' and its co-debtors'), or of every debtor"#,
        r#"Lister les événements de prescription d'un débiteur (les siens, ceux de ses créances et de ses codébiteurs), ou de tous"#,
    ),
    (r#"List the users"#, r#"Lister les utilisateurs"#),
    (
        r#"Log a call on a debtor's file (how it went, what was said, a promise made on the call), or a plain note without `--outcome`: it shows on the debtor's timeline"#,
        r#"Consigner un appel au dossier d'un débiteur (son issue, ce qui a été dit, une promesse faite pendant l'appel), ou une simple note sans `--outcome` : elle apparaît dans l'historique du débiteur"#,
    ),
    (
        r#"Manage the people (and API tokens) who use the web application"#,
        r#"Gérer les personnes (et jetons d'API) qui utilisent l'application web"#,
    ),
    (
        r#"Mark the session cookie Secure: set this when the server is reached over HTTPS"#,
        r#"Marquer le cookie de session Secure : à activer quand le serveur est joint en HTTPS"#,
    ),
    (
        r#"Messages claimed at once"#,
        r#"Messages pris en charge à la fois"#,
    ),
    (r#"Number of claims"#, r#"Nombre de créances"#),
    (r#"Number of debtors"#, r#"Nombre de débiteurs"#),
    (
        r#"Number of instalments (or give --instalment)"#,
        r#"Nombre d'échéances (ou donner --instalment)"#,
    ),
    (
        r#"One entry and its delivery log"#,
        r#"Une entrée et son journal d'envoi"#,
    ),
    (
        r#"One plan: its schedule and how it is being kept"#,
        r#"Un échéancier : son calendrier et son respect"#,
    ),
    (
        r#"Only actions with this status: draft, planned, approved, skipped, done"#,
        r#"Seulement les actions dans cet état : draft, planned, approved, skipped, done"#,
    ),
    (
        r#"Only claims with at least this much open, e.g. 500 or 1 000,50"#,
        r#"Seulement les créances dont le reste dû atteint ce seuil, par exemple 500 ou 1 000,50"#,
    ),
    (
        r#"Only debtors with something overdue"#,
        r#"Seulement les débiteurs ayant un retard"#,
    ),
    (r#"Only overdue claims"#, r#"Seulement les créances échues"#),
    (
        r#"Only this debtor's claims (its id)"#,
        r#"Seulement les créances de ce débiteur (son identifiant)"#,
    ),
    (
        r#"Only this part: subject, text, html, sms, letter"#,
        r#"Seulement cette partie : subject, text, html, sms, letter"#,
    ),
    (
        r#"Only this series (e.g. ecb_mro)"#,
        r#"Seulement cette série (par exemple ecb_mro)"#,
    ),
    (
        r#"Only this status: applied, review, ignored, returned"#,
        r#"Seulement cet état : applied, review, ignored, returned"#,
    ),
    (
        r#"Only this status: queued, sending, sent, failed, cancelled, print"#,
        r#"Seulement cet état : queued, sending, sent, failed, cancelled, print"#,
    ),
    (
        r#"Open a dispute on claims of one debtor: they are not reminded until it is resolved"#,
        r#"Ouvrir un litige sur des créances d'un débiteur : elles ne sont plus relancées jusqu'à sa résolution"#,
    ),
    (
        r#"Open claims whose limitation deadline ("prescription") is near or passed"#,
        r#"Créances ouvertes dont la prescription est proche ou acquise"#,
    ),
    (
        r#"Part of a name or customer reference"#,
        r#"Partie d'un nom ou d'une référence client"#,
    ),
    (r#"Payment plans ("échéanciers")"#, r#"Échéanciers"#),
    (
        r#"Payments waiting for a person, with ranked suggestions"#,
        r#"Paiements qui attendent une personne, avec des suggestions classées"#,
    ),
    (
        r#"Print JSON instead of tables"#,
        r#"Afficher du JSON au lieu de tableaux"#,
    ),
    (r#"Print help"#, r#"Afficher l'aide"#),
    (
        r#"Print this message or the help of the given subcommand(s)"#,
        r#"Afficher ce message ou l'aide des sous-commandes indiquées"#,
    ),
    (r#"Print version"#, r#"Afficher la version"#),
    (
        r#"Promises to pay ("promesses de paiement")"#,
        r#"Promesses de paiement"#,
    ),
    (
        r#"Put a debtor's collection on hold until a date (inclusive), or lift the hold"#,
        r#"Suspendre le recouvrement d'un débiteur jusqu'à une date (incluse), ou lever la suspension"#,
    ),
    (
        r#"Queue a failed or cancelled entry again"#,
        r#"Remettre en file une entrée en échec ou annulée"#,
    ),
    (
        r#"Reactivate a deactivated user"#,
        r#"Réactiver un utilisateur désactivé"#,
    ),
    (
        r#"Read the password from the first line of standard input instead of asking"#,
        r#"Lire le mot de passe sur la première ligne de l'entrée standard au lieu de le demander"#,
    ),
    (
        r#"Record a co-debtor's consent to a plan"#,
        r#"Enregistrer l'accord d'un codébiteur à un échéancier"#,
    ),
    (
        r#"Record a credit insurer and its policy's deadline to declare a threatened loss"#,
        r#"Enregistrer un assureur-crédit et le délai de sa police pour déclarer une menace de sinistre"#,
    ),
    (
        r#"Record a debtor's direct-debit mandate"#,
        r#"Enregistrer le mandat de prélèvement d'un débiteur"#,
    ),
    (
        r#"Record a debtor's promise to pay an amount by a date; reminders wait until then"#,
        r#"Enregistrer la promesse d'un débiteur de payer une somme à une date ; les relances attendent jusque-là"#,
    ),
    (
        r#"Record a factor ("affacturage"): the claims assigned to it are paid to its account"#,
        r#"Enregistrer un factor (affacturage) : les créances qui lui sont cédées se paient sur son compte"#,
    ),
    (
        r#"Record a formal notice sent by hand or served by a commissaire de justice"#,
        r#"Enregistrer une mise en demeure envoyée à la main ou signifiée par un commissaire de justice"#,
    ),
    (
        r#"Record a limitation event (audited). A debtor's event counts for all its claims and for the claims where it is a solidary co-debtor (C. civ. 2245)"#,
        r#"Enregistrer un événement de prescription (journalisé). L'événement d'un débiteur vaut pour toutes ses créances et celles où il est codébiteur solidaire (C. civ. 2245)"#,
    ),
    (
        r#"Record a notice's delivery: tracking number, first presentation, signed receipt"#,
        r#"Enregistrer la remise d'une mise en demeure : numéro de suivi, première présentation, accusé signé"#,
    ),
    (
        r#"Recouvre: accounts-receivable collection — watch every claim, remind debtors, compute what the law allows, show where the cash is."#,
        r#"Recouvre : recouvrement de créances — suivre chaque créance, relancer les débiteurs, calculer ce que permet la loi, montrer où est la trésorerie."#,
    ),
    (
        r#"Recovery indemnity agreed above the statutory €40, per invoice (`none` clears)"#,
        r#"Indemnité de recouvrement convenue au-delà des 40 € légaux, par facture (`none` l'efface)"#,
    ),
    (
        r#"Rename columns: `our_name=Their header`, e.g. `amount=Montant TTC`. Repeatable"#,
        r#"Renommer des colonnes : `notre_nom=Leur en-tête`, par exemple `amount=Montant TTC`. Répétable"#,
    ),
    (
        r#"Render a template for a debtor as of `--as-of`: the subject, texts and SMS, or one part; `--pdf FILE` writes the letter"#,
        r#"Rendre un modèle pour un débiteur à la date `--as-of` : l'objet, les textes et le SMS, ou une partie ; `--pdf FILE` écrit la lettre"#,
    ),
    (
        r#"Replace DEST if it exists"#,
        r#"Remplacer DEST s'il existe"#,
    ),
    (
        r#"Replay every day of collection on the demo portfolio, in memory (no database): invoices and payments as the generator plans them, the daily dunning run each day"#,
        r#"Rejouer chaque jour de recouvrement sur le portefeuille de démonstration, en mémoire (sans base) : factures et paiements tels que le générateur les prévoit, la relance quotidienne chaque jour"#,
    ),
    (
        r#"Reply-To when the case has no collector with an e-mail address"#,
        r#"Adresse de réponse quand le dossier n'a pas de chargé de recouvrement avec une adresse e-mail"#,
    ),
    (
        r#"Reports: the aged balance (grouped), the KPIs of a period, the effectiveness of each dunning step, the 13-week cash forecast, the payment-terms table of the management report (C. com. D441-6); as a table, CSV or XLSX"#,
        r#"Rapports : la balance âgée (groupée), les indicateurs d'une période, l'efficacité de chaque étape de relance, la prévision de trésorerie à 13 semaines, le tableau des délais de paiement du rapport de gestion (C. com. D441-6) ; en tableau, CSV ou XLSX"#,
    ),
    (
        r#"Resolve a dispute: by a credit note, a partial agreement (credit note for the part conceded), or a rejection; collection resumes on what remains"#,
        r#"Résoudre un litige : par un avoir, un accord partiel (avoir sur la part concédée) ou un rejet ; le recouvrement reprend sur ce qui reste"#,
    ),
    (
        r#"Restore a backup into the empty database given by --db, verified by counts and balances"#,
        r#"Restaurer une sauvegarde dans la base vide donnée par --db, vérifiée par comptages et soldes"#,
    ),
    (
        r#"Revoke an API token by its id: it is refused from now on"#,
        r#"Révoquer un jeton d'API par son identifiant : il est refusé désormais"#,
    ),
    (
        r#"Run as if today were this date (YYYY-MM-DD). Default: today in Paris"#,
        r#"Travailler comme si nous étions à cette date (AAAA-MM-JJ). Par défaut : aujourd'hui à Paris"#,
    ),
    (
        r#"Run the background work without the web application, until Ctrl-C: the daily run at its hour, the delivery of the outbox, the watched folder of statements"#,
        r#"Faire le travail de fond sans l'application web, jusqu'à Ctrl-C : la relance quotidienne à son heure, l'envoi de la file sortante, le dossier de relevés surveillé"#,
    ),
    (
        r#"SEPA direct debit of plans' instalments: creditor identity, mandates, pain.008"#,
        r#"Prélèvement SEPA des échéances des échéanciers : identité du créancier, mandats, pain.008"#,
    ),
    (
        r#"SIREN, SIRET or VAT number printed on letters"#,
        r#"SIREN, SIRET ou numéro de TVA imprimé sur les courriers"#,
    ),
    (
        r#"Save a plan: active at once, or a draft until every co-debtor consents"#,
        r#"Enregistrer un échéancier : actif tout de suite, ou brouillon jusqu'à l'accord de chaque codébiteur"#,
    ),
    (
        r#"Score (per mille) from which a match is applied automatically"#,
        r#"Score (pour mille) à partir duquel un rapprochement est affecté automatiquement"#,
    ),
    (
        r#"Seconds between two rounds of background work"#,
        r#"Secondes entre deux tours de travail de fond"#,
    ),
    (
        r#"Seed of the generator: the same seed builds the same portfolio"#,
        r#"Graine du générateur : la même graine construit le même portefeuille"#,
    ),
    (
        r#"Serve only: leave the daily run, the delivery and the watched folder to a `recouvre worker` running elsewhere"#,
        r#"Servir seulement : laisser la relance quotidienne, les envois et le dossier surveillé à un `recouvre worker` qui tourne ailleurs"#,
    ),
    (
        r#"Serve the web interface and the REST API (`/api/v1`, described at `/api/openapi.json`) until Ctrl-C, and run the background work: the daily run at its hour, the delivery of the outbox, the watched folder of statements (`--no-worker`: serve only)"#,
        r#"Servir l'interface web et l'API REST (`/api/v1`, décrite à `/api/openapi.json`) jusqu'à Ctrl-C, et faire le travail de fond : la relance quotidienne à son heure, l'envoi de la file sortante, le dossier de relevés surveillé (`--no-worker` : servir seulement)"#,
    ),
    (
        r#"Set a user's password (asked for, or read from standard input); their sessions end"#,
        r#"Définir le mot de passe d'un utilisateur (demandé, ou lu sur l'entrée standard) ; ses sessions prennent fin"#,
    ),
    (
        r#"Set a waiting payment aside (not a customer payment)"#,
        r#"Écarter un paiement en attente (pas un paiement client)"#,
    ),
    (
        r#"Set the creditor's SEPA identity: name, IBAN, BIC, SEPA creditor identifier (ICS)"#,
        r#"Définir l'identité SEPA du créancier : nom, IBAN, BIC, identifiant créancier SEPA (ICS)"#,
    ),
    (
        r#"Set who the letters come from, who answers, the collection agency, and the days given to pay in a formal notice. Only the options given change"#,
        r#"Définir l'expéditeur des courriers, qui répond, l'agence de recouvrement, et les jours laissés pour payer dans une mise en demeure. Seules les options données changent"#,
    ),
    (
        r#"Settings of the delivery channels, stored in the database: `settings smtp`, `settings sms`; alone, shows them (never a secret)"#,
        r#"Réglages des canaux d'envoi, stockés dans la base : `settings smtp`, `settings sms` ; seule, la commande les affiche (jamais un secret)"#,
    ),
    (
        r#"Short code of your company, used in imports"#,
        r#"Code court de votre société, utilisé dans les imports"#,
    ),
    (
        r#"Show deadlines within this many days (past ones always show)"#,
        r#"Afficher les échéances à moins de ce nombre de jours (celles passées s'affichent toujours)"#,
    ),
    (
        r#"Show one debtor or one claim in full"#,
        r#"Afficher un débiteur ou une créance en entier"#,
    ),
    (
        r#"Show or set a claim's own terms of sale (overriding its creditor's field by field)"#,
        r#"Afficher ou définir les conditions de vente propres à une créance (qui remplacent celles de son créancier champ par champ)"#,
    ),
    (
        r#"Show the schedule a plan would have, without saving it"#,
        r#"Afficher le calendrier qu'aurait un échéancier, sans l'enregistrer"#,
    ),
    (
        r#"Show the schema migrations and apply the pending ones"#,
        r#"Afficher les migrations du schéma et appliquer celles en attente"#,
    ),
    (
        r#"Show what tomorrow's run would decide from today's data; writes nothing"#,
        r#"Afficher ce que déciderait la relance de demain d'après les données d'aujourd'hui ; n'écrit rien"#,
    ),
    (
        r#"Skip an action: it will not go out (its step stays done)"#,
        r#"Écarter une action : elle ne partira pas (son étape reste faite)"#,
    ),
    (
        r#"Source database (path, `sqlite:PATH` or `postgres://...`)"#,
        r#"Base source (chemin, `sqlite:PATH` ou `postgres://...`)"#,
    ),
    (
        r#"Start from the portfolio as it stood at the end of this day (YYYY-MM-DD)"#,
        r#"Partir du portefeuille tel qu'il était à la fin de ce jour (AAAA-MM-JJ)"#,
    ),
    (
        r#"Store a part of a template in the database (it then wins over files), checked first; `--reset` removes the override"#,
        r#"Enregistrer une partie d'un modèle dans la base (elle l'emporte alors sur les fichiers), vérifiée d'abord ; `--reset` retire le remplacement"#,
    ),
    (r#"Target database, empty"#, r#"Base cible, vide"#),
    (
        r#"Tasks for people (calls, legal reviews, agency hand-offs, drafts to approve), highest priority first"#,
        r#"Tâches des personnes (appels, examens juridiques, transmissions à une agence, brouillons à approuver), priorité la plus haute d'abord"#,
    ),
    (
        r#"The HTTP SMS provider: URL, method, headers, body template, success status"#,
        r#"Le fournisseur SMS HTTP : URL, méthode, en-têtes, modèle du corps, code de succès"#,
    ),
    (
        r#"The SEPA creditor identifier ("ICS", e.g. FRkkZZZnnnnnn)"#,
        r#"L'identifiant créancier SEPA (ICS, par exemple FRkkZZZnnnnnn)"#,
    ),
    (
        r#"The SEPA mandate reference its instalments are collected with"#,
        r#"La référence du mandat SEPA avec lequel ses échéances sont prélevées"#,
    ),
    (
        r#"The address of the reverse proxy in front of the server: only requests coming from it have their client address read from X-Forwarded-For (its last entry)"#,
        r#"L'adresse du mandataire inverse devant le serveur : seules les requêtes qui en viennent ont leur adresse client lue dans X-Forwarded-For (sa dernière entrée)"#,
    ),
    (
        r#"The assignment rules (which scenario a debtor follows)"#,
        r#"Les règles d'affectation (quel scénario suit un débiteur)"#,
    ),
    (
        r#"The backup file (written by `recouvre backup`)"#,
        r#"Le fichier de sauvegarde (écrit par `recouvre backup`)"#,
    ),
    (
        r#"The backup file to write, or a folder: then the file is named recouvre-YYYYMMDD-HHMMSS.db in it"#,
        r#"Le fichier de sauvegarde à écrire, ou un dossier : le fichier y est alors nommé recouvre-AAAAMMJJ-HHMMSS.db"#,
    ),
    (
        r#"The body, with {{to}}, {{text}}, {{message_id}}, {{sender}}"#,
        r#"Le corps, avec {{to}}, {{text}}, {{message_id}}, {{sender}}"#,
    ),
    (r#"The claim's id"#, r#"L'identifiant de la créance"#),
    (
        r#"The claim's id (or give --debtor)"#,
        r#"L'identifiant de la créance (ou donner --debtor)"#,
    ),
    (
        r#"The claims (ids, comma-separated; default: all the debtor's open claims)"#,
        r#"Les créances (identifiants séparés par des virgules ; par défaut : toutes les créances ouvertes du débiteur)"#,
    ),
    (
        r#"The claims demanded (ids, comma-separated; default: every claim overdue that day)"#,
        r#"Les créances réclamées (identifiants séparés par des virgules ; par défaut : toutes celles échues ce jour-là)"#,
    ),
    (
        r#"The claims it is for (ids, comma-separated; default: all the debtor's open claims)"#,
        r#"Les créances concernées (identifiants séparés par des virgules ; par défaut : toutes les créances ouvertes du débiteur)"#,
    ),
    (
        r#"The collector's login"#,
        r#"L'identifiant du chargé de recouvrement"#,
    ),
    (
        r#"The creditor (code) when the file has no `creditor` column"#,
        r#"Le créancier (code) quand le fichier n'a pas de colonne `creditor`"#,
    ),
    (
        r#"The creditor's name (needed to create it)"#,
        r#"Le nom du créancier (nécessaire pour le créer)"#,
    ),
    (
        r#"The daily dunning run: decide who is reminded of what today, and record it"#,
        r#"La relance quotidienne : décider qui est relancé pour quoi aujourd'hui, et l'enregistrer"#,
    ),
    (
        r#"The day it happened (YYYY-MM-DD), not after today (--as-of)"#,
        r#"Le jour où il a eu lieu (AAAA-MM-JJ), pas après aujourd'hui (--as-of)"#,
    ),
    (
        r#"The day it was sent (served, for a commissaire de justice)"#,
        r#"Le jour de l'envoi (de la signification, pour un commissaire de justice)"#,
    ),
    (
        r#"The day promised (YYYY-MM-DD)"#,
        r#"Le jour promis (AAAA-MM-JJ)"#,
    ),
    (
        r#"The day the acknowledgment of receipt was signed"#,
        r#"Le jour où l'accusé de réception a été signé"#,
    ),
    (
        r#"The debtor put on notice"#,
        r#"Le débiteur mis en demeure"#,
    ),
    (r#"The debtor's id"#, r#"L'identifiant du débiteur"#),
    (
        r#"The debtor's id (the event counts for all its claims)"#,
        r#"L'identifiant du débiteur (l'événement vaut pour toutes ses créances)"#,
    ),
    (
        r#"The delivery worker: sends the outbox's due e-mails and SMS exactly once, with retries; `--once` drains what is due and exits"#,
        r#"Le processus d'envoi : envoie les e-mails et SMS de la file sortante une fois exactement, avec nouvelles tentatives ; `--once` vide ce qui est à envoyer et s'arrête"#,
    ),
    (
        r#"The disputes, oldest first"#,
        r#"Les litiges, les plus anciens d'abord"#,
    ),
    (
        r#"The dunning scenarios the daily run follows (the shipped ones until files are loaded), and their steps; `scenarios load` replaces them"#,
        r#"Les scénarios de relance que suit la relance quotidienne (ceux livrés tant qu'aucun fichier n'est chargé), et leurs étapes ; `scenarios load` les remplace"#,
    ),
    (
        r#"The end of a mediation or conciliation (YYYY-MM-DD), once it has ended"#,
        r#"La fin d'une médiation ou d'une conciliation (AAAA-MM-JJ), une fois terminée"#,
    ),
    (
        r#"The environment variable that holds the password when `recouvre deliver` runs (the password itself is never stored); its name must start with `RECOUVRE_SECRET_` (e.g. RECOUVRE_SECRET_SMTP_PASSWORD): no other variable may be read"#,
        r#"La variable d'environnement qui contient le mot de passe quand `recouvre deliver` tourne (le mot de passe n'est jamais stocké) ; son nom doit commencer par `RECOUVRE_SECRET_` (par exemple RECOUVRE_SECRET_SMTP_PASSWORD) : aucune autre variable ne peut être lue"#,
    ),
    (
        r#"The factor's account, where debtors must pay"#,
        r#"Le compte du factor, où les débiteurs doivent payer"#,
    ),
    (
        r#"The factor's or insurer's id (`financing list`)"#,
        r#"L'identifiant du factor ou de l'assureur (`financing list`)"#,
    ),
    (
        r#"The factors and insurers, and every assignment"#,
        r#"Les factors et assureurs, et chaque cession"#,
    ),
    (
        r#"The file holding the new text"#,
        r#"Le fichier qui contient le nouveau texte"#,
    ),
    (
        r#"The file to write (default: RCV-<date>-<n>.xml in the current folder)"#,
        r#"Le fichier à écrire (par défaut : RCV-<date>-<n>.xml dans le dossier courant)"#,
    ),
    (
        r#"The first instalment's day (default: in 15 days)"#,
        r#"Le jour de la première échéance (par défaut : dans 15 jours)"#,
    ),
    (
        r#"The folder (created if missing)"#,
        r#"Le dossier (créé s'il manque)"#,
    ),
    (
        r#"The language of messages, tables and help: en or fr. Default: RECOUVRE_LANG, then the `lang` setting of the configuration file, then the locale (LC_ALL, LC_MESSAGES, LANG), else English. JSON output is the same in both"#,
        r#"La langue des messages, tableaux et aides : en ou fr. Par défaut : RECOUVRE_LANG, puis le réglage `lang` du fichier de configuration, puis la locale (LC_ALL, LC_MESSAGES, LANG), sinon l'anglais. La sortie JSON est identique dans les deux"#,
    ),
    (
        r#"The letters of the actions decided on `--date` (registered letters, formal notices, plain letters) as one printable PDF, and the CSV list for the postal bulk deposit"#,
        r#"Les courriers des actions décidées le `--date` (lettres recommandées, mises en demeure, lettres simples) en un PDF imprimable, et la liste CSV pour le dépôt postal en nombre"#,
    ),
    (
        r#"The local time (Europe/Paris, HH:MM) of the daily backup"#,
        r#"L'heure locale (Europe/Paris, HH:MM) de la sauvegarde quotidienne"#,
    ),
    (
        r#"The local time (Europe/Paris, HH:MM) of the daily collection run; a process started later that day runs it at once"#,
        r#"L'heure locale (Europe/Paris, HH:MM) de la relance quotidienne ; un processus démarré plus tard ce jour-là la lance aussitôt"#,
    ),
    (
        r#"The login, when the server wants one"#,
        r#"L'identifiant, quand le serveur en demande un"#,
    ),
    (
        r#"The name shown in the interface (default: the login)"#,
        r#"Le nom affiché dans l'interface (par défaut : l'identifiant)"#,
    ),
    (
        r#"The notice's id (`notice list`); or give `--action`"#,
        r#"L'identifiant de la mise en demeure (`notice list`) ; ou donner `--action`"#,
    ),
    (
        r#"The outbox: counts and entries, one entry with its delivery log, retry a failed one"#,
        r#"La file sortante : comptes et entrées, une entrée avec son journal d'envoi, nouvelle tentative pour une entrée en échec"#,
    ),
    (
        r#"The pain.008 version: 08 (pain.008.001.08, current) or 02 (pain.008.001.02)"#,
        r#"La version de pain.008 : 08 (pain.008.001.08, actuelle) ou 02 (pain.008.001.02)"#,
    ),
    (
        r#"The plans, oldest first"#,
        r#"Les échéanciers, les plus anciens d'abord"#,
    ),
    (r#"The policy's reference"#, r#"La référence de la police"#),
    (
        r#"The portfolio at a glance: totals, aged balance, largest overdue debtors"#,
        r#"Le portefeuille d'un coup d'œil : totaux, balance âgée, plus gros débiteurs en retard"#,
    ),
    (
        r#"The promises, oldest first"#,
        r#"Les promesses, les plus anciennes d'abord"#,
    ),
    (
        r#"The proof kept (file name or document reference)"#,
        r#"La preuve conservée (nom de fichier ou référence de document)"#,
    ),
    (
        r#"The registered letter's tracking number"#,
        r#"Le numéro de suivi de la lettre recommandée"#,
    ),
    (
        r#"The requested collection date"#,
        r#"La date de prélèvement demandée"#,
    ),
    (
        r#"The run's action that is the notice, before its delivery is first recorded"#,
        r#"L'action de la relance qui est la mise en demeure, avant le premier enregistrement de sa remise"#,
    ),
    (r#"The scenario files"#, r#"Les fichiers de scénarios"#),
    (
        r#"The sender: `"Acme Relances <relances@acme.fr>"` or an address"#,
        r#"L'expéditeur : `"Acme Relances <relances@acme.fr>"` ou une adresse"#,
    ),
    (
        r#"The template's name (`recouvre template list`)"#,
        r#"Le nom du modèle (`recouvre template list`)"#,
    ),
    (
        r#"The texts of the messages ("modèles") in French and English: list, preview for a debtor, export to edit, override in the database"#,
        r#"Les textes des messages (modèles) en français et en anglais : liste, aperçu pour un débiteur, export pour modification, remplacement dans la base"#,
    ),
    (
        r#"The town letters are dated from"#,
        r#"La ville d'où les courriers sont datés"#,
    ),
    (
        r#"The unique mandate reference (RUM)"#,
        r#"La référence unique du mandat (RUM)"#,
    ),
    (
        r#"Then replay the N days before the demo's day in memory and show what dunning did: actions by channel, cash collected, DSO before and after (see `recouvre simulate`); 0 skips it"#,
        r#"Puis rejouer en mémoire les N jours précédant le jour de la démonstration et montrer ce qu'ont fait les relances : actions par canal, encaissements, DSO avant et après (voir `recouvre simulate`) ; 0 s'en dispense"#,
    ),
    (
        r#"This collector's worklist: the tasks of the cases assigned to them and of the cases assigned to nobody"#,
        r#"La liste de travail de ce chargé de recouvrement : les tâches des dossiers qui lui sont confiés et de ceux confiés à personne"#,
    ),
    (
        r#"This worker's name in leases and the delivery log (default: host and process id)"#,
        r#"Le nom de ce processus dans les baux et le journal d'envoi (par défaut : machine et numéro de processus)"#,
    ),
    (
        r#"Upper bounds of the overdue buckets of the aged balance, in days"#,
        r#"Bornes supérieures des tranches de retard de la balance âgée, en jours"#,
    ),
    (
        r#"Upper bounds of the overdue buckets, in days"#,
        r#"Bornes supérieures des tranches de retard, en jours"#,
    ),
    (
        r#"Validate scenario files (TOML, one scenario each) and the assignment rules as a whole and store them in the database; nothing changes when any file is wrong"#,
        r#"Valider les fichiers de scénarios (TOML, un scénario chacun) et les règles d'affectation comme un tout et les enregistrer dans la base ; rien ne change si un fichier est faux"#,
    ),
    (
        r#"What the token is for, e.g. the integrating system's name"#,
        r#"À quoi sert le jeton, par exemple le nom du système intégré"#,
    ),
    (
        r#"When it should be settled by"#,
        r#"Quand il devrait être réglé"#,
    ),
    (
        r#"Where e-mails go: the SMTP server, its security, the login, the sender"#,
        r#"Par où partent les e-mails : le serveur SMTP, sa sécurité, l'identifiant, l'expéditeur"#,
    ),
    (
        r#"Where the demo interface listens"#,
        r#"Où écoute l'interface de démonstration"#,
    ),
    (
        r#"Who agreed it on the creditor's side"#,
        r#"Qui l'a accepté du côté du créancier"#,
    ),
    (
        r#"Why (kept in the ledger and the audit log)"#,
        r#"Pourquoi (gardé au grand livre et au journal d'audit)"#,
    ),
    (
        r#"With DEST a folder: keep only the N newest backups in it, deleting older ones"#,
        r#"Avec DEST un dossier : n'y garder que les N sauvegardes les plus récentes, en supprimant les plus anciennes"#,
    ),
    (
        r#"Write a verified copy of the database to a SQLite file while the server runs"#,
        r#"Écrire une copie vérifiée de la base dans un fichier SQLite pendant que le serveur tourne"#,
    ),
    (
        r#"Write every template as DIR/<lang>/<name>.toml, to edit and use with `--templates DIR`"#,
        r#"Écrire chaque modèle dans DIR/<lang>/<name>.toml, à modifier et utiliser avec `--templates DIR`"#,
    ),
    (
        r#"Write off what is open on a claim, or part of it, with the reason ("passage en perte"); audited"#,
        r#"Passer en perte ce qui reste dû sur une créance, ou une partie, avec le motif ; journalisé"#,
    ),
    (
        r#"Write the letter as a PDF to this file"#,
        r#"Écrire la lettre en PDF dans ce fichier"#,
    ),
    (
        r#"Write the pain.008 file collecting the plans' instalments due by a date, and mark them collected (a second export does not collect them again)"#,
        r#"Écrire le fichier pain.008 qui prélève les échéances dues à une date, et les marquer prélevées (un second export ne les prélève pas à nouveau)"#,
    ),
    (
        r#"Write the scenario files in force into a folder, to edit and load again"#,
        r#"Écrire les fichiers des scénarios en vigueur dans un dossier, à modifier et recharger"#,
    ),
    (
        r#"Write to this file instead of the terminal (in the language of `--lang`; French CSV uses `;` and a decimal comma)"#,
        r#"Écrire dans ce fichier au lieu du terminal (dans la langue de `--lang` ; le CSV français utilise `;` et la virgule décimale)"#,
    ),
    (
        r#"Your company's name, as printed on letters"#,
        r#"Le nom de votre société, tel qu'imprimé sur les courriers"#,
    ),
    (
        r#"`Name: value`, repeated; a value written `${VAR}` is read from the environment at send time (keep API keys there); VAR must start with `RECOUVRE_SECRET_`"#,
        r#"`Nom: valeur`, répété ; une valeur écrite `${VAR}` est lue dans l'environnement à l'envoi (y garder les clés d'API) ; VAR doit commencer par `RECOUVRE_SECRET_`"#,
    ),
    (
        r#"`hand` (registered letter sent by you) or `commissaire` (served by a commissaire de justice)"#,
        r#"`hand` (lettre recommandée envoyée par vous) ou `commissaire` (signifiée par un commissaire de justice)"#,
    ),
    (
        r#"`yes` when the contract says the due date alone puts the debtor on notice (C. civ. 1344); `no`; `none` clears"#,
        r#"`yes` quand le contrat dit que l'échéance seule vaut mise en demeure (C. civ. 1344) ; `no` ; `none` l'efface"#,
    ),
    (
        r#"acknowledgment, court_claim, court_claim_dismissed, court_claim_withdrawn, enforcement_act, mediation or judgment (the day it became enforceable)"#,
        r#"acknowledgment (reconnaissance), court_claim (demande en justice), court_claim_dismissed (rejetée), court_claim_withdrawn (retirée), enforcement_act (acte d'exécution), mediation (médiation) ou judgment (jugement, le jour où il est devenu exécutoire)"#,
    ),
    (
        r#"admin, manager, collector or viewer"#,
        r#"admin, manager, collector ou viewer"#,
    ),
    (
        r#"aging, kpis, effectiveness, forecast or payment-terms"#,
        r#"aging (balance âgée), kpis (indicateurs), effectiveness (efficacité), forecast (prévision) ou payment-terms (délais de paiement)"#,
    ),
    (
        r#"camt, mt940 or csv; detected from the content when omitted"#,
        r#"camt, mt940 ou csv ; déduit du contenu s'il est omis"#,
    ),
    (
        r#"co-debtor or guarantor"#,
        r#"co-debtor (codébiteur) ou guarantor (caution)"#,
    ),
    (
        r#"fr or en (default: the debtor's language)"#,
        r#"fr ou en (par défaut : la langue du débiteur)"#,
    ),
    (
        r#"payment-terms: `unpaid` (D441-6 I, invoices unpaid at the closing date) or `paid-late` (D441-6 II, invoices paid late during the year)"#,
        r#"payment-terms : `unpaid` (D441-6 I, factures impayées à la clôture) ou `paid-late` (D441-6 II, factures payées en retard pendant l'exercice)"#,
    ),
    (
        r#"payment-terms: amounts incl. VAT (`ttc`, the ledger's); `ht` is refused, the ledger holds no VAT split"#,
        r#"payment-terms : montants TTC (`ttc`, ceux du grand livre) ; `ht` est refusé, le grand livre ne ventile pas la TVA"#,
    ),
    (
        r#"payment-terms: the terms lateness is measured from, `contractual` (each invoice's due date) or `legal` (60 days from issue)"#,
        r#"payment-terms : les délais à partir desquels le retard se mesure, `contractual` (l'échéance de chaque facture) ou `legal` (60 jours après émission)"#,
    ),
    (
        r#"quality, price, delivery, not_received, already_paid, other"#,
        r#"quality (qualité), price (prix), delivery (livraison), not_received (non reçu), already_paid (déjà payé), other (autre)"#,
    ),
    (
        r#"reached, no_answer, voicemail, wrong_number or refused; absent: a note"#,
        r#"reached (joint), no_answer (pas de réponse), voicemail (messagerie), wrong_number (mauvais numéro) ou refused (refus) ; absent : une note"#,
    ),
    (
        r#"starttls, tls or plain (plain: a relay on this machine or network only)"#,
        r#"starttls, tls ou plain (plain : un relais sur cette machine ou ce réseau seulement)"#,
    ),
    (
        r#"table, csv or xlsx (xlsx needs --out)"#,
        r#"table, csv ou xlsx (xlsx demande --out)"#,
    ),
    (
        r#"weekly, fortnightly, monthly, quarterly"#,
        r#"weekly (hebdomadaire), fortnightly (quinzaine), monthly (mensuel), quarterly (trimestriel)"#,
    ),
    (
        r#"Accounting documents from the financial year's close (years, 10 to 30)"#,
        r#"Pièces comptables à compter de la clôture de l'exercice (années, de 10 à 30)"#,
    ),
    (
        r#"Also write the PDF to this file"#,
        r#"Écrire aussi le PDF dans ce fichier"#,
    ),
    (
        r#"Approve erasure requests: each debtor still due is erased at once (audited)"#,
        r#"Approuver des demandes d'effacement : chaque débiteur encore dû est effacé aussitôt (journalisé)"#,
    ),
    (
        r#"Archive after closure, business debtors (years, 0 to 5)"#,
        r#"Archivage après clôture, débiteurs professionnels (années, de 0 à 5)"#,
    ),
    (
        r#"Archive after closure, consumers (years, 0 to 2)"#,
        r#"Archivage après clôture, consommateurs (années, de 0 à 2)"#,
    ),
    (
        r#"Erase one debtor now if it is due (refused with the reasons otherwise; audited)"#,
        r#"Effacer maintenant un débiteur si son effacement est dû (refusé sinon, avec les raisons ; journalisé)"#,
    ),
    (
        r#"Everything held on one debtor, for an access request: JSON on stdout (or --out), and a readable PDF with --pdf; audited"#,
        r#"Tout ce qui est détenu sur un débiteur, pour une demande d'accès : JSON sur la sortie standard (ou --out), et un PDF lisible avec --pdf ; journalisé"#,
    ),
    (
        r#"Import a statement whose balances do not close (opening + entries ≠ closing), or an MT940 statement without its closing balance; refused otherwise, as a file cut short would be booked in half"#,
        r#"Importer un relevé dont les soldes ne bouclent pas (ouverture + écritures ≠ clôture), ou un relevé MT940 sans solde de clôture ; refusé sinon, car un fichier tronqué serait comptabilisé à moitié"#,
    ),
    (
        r#"Only the entries of this action (`import.statement`, `sepa.export`...)"#,
        r#"Seulement les entrées de cette action (`import.statement`, `sepa.export`…)"#,
    ),
    (
        r#"Personal data (GDPR): export a debtor's data, retention settings, erasure of what is due by pseudonymisation"#,
        r#"Données personnelles (RGPD) : export des données d'un débiteur, durées de conservation, effacement de ce qui est dû par pseudonymisation"#,
    ),
    (
        r#"Remove the user's second factor instead"#,
        r#"Retirer plutôt le second facteur de l'utilisateur"#,
    ),
    (
        r#"Set up a user's second factor (a TOTP authenticator app): prints a new key to add to the app, then reads the code it shows (asked for, or `--code`); `--off` removes it (a lost device). Audited"#,
        r#"Configurer le second facteur d'un utilisateur (application d'authentification TOTP) : affiche une nouvelle clé à ajouter à l'application, puis lit le code qu'elle affiche (demandé, ou `--code`) ; `--off` le retire (appareil perdu). Journalisé"#,
    ),
    (
        r#"Sign-in security: whether administrators must sign in with a second factor (refused while an active administrator has none)"#,
        r#"Sécurité de la connexion : si les administrateurs doivent se connecter avec un second facteur (refusé tant qu'un administrateur actif n'en a pas)"#,
    ),
    (
        r#"The PDF's language (default: the debtor's)"#,
        r#"La langue du PDF (par défaut : celle du débiteur)"#,
    ),
    (
        r#"The audit log, newest first: who changed what and when, from the web, the API or the command line (the web's audit page)"#,
        r#"Le journal d'audit, du plus récent au plus ancien : qui a changé quoi et quand, depuis le web, l'API ou la ligne de commande (la page Journal du web)"#,
    ),
    (
        r#"The code the app shows now (else asked for on the terminal)"#,
        r#"Le code affiché maintenant par l'application (sinon demandé dans le terminal)"#,
    ),
    (
        r#"The daily job by hand: record an erasure request for each debtor due (audited)"#,
        r#"La tâche quotidienne à la main : enregistrer une demande d'effacement pour chaque débiteur dû (journalisé)"#,
    ),
    (
        r#"The debtors due for erasure as of --as-of, with why and since when"#,
        r#"Les débiteurs dont l'effacement est dû à la date --as-of, avec pourquoi et depuis quand"#,
    ),
    (
        r#"The erasure requests (all, or in one state)"#,
        r#"Les demandes d'effacement (toutes, ou dans un état)"#,
    ),
    (
        r#"The financial year's last day, MM-DD"#,
        r#"Le dernier jour de l'exercice, MM-JJ"#,
    ),
    (
        r#"The request's id (or --all)"#,
        r#"L'identifiant de la demande (ou --all)"#,
    ),
    (
        r#"The retention periods and their legal basis; with options, change them (audited)"#,
        r#"Les durées de conservation et leur base légale ; avec des options, les modifier (journalisé)"#,
    ),
    (
        r#"Use this base32 key rather than a new one (a key already in the app)"#,
        r#"Utiliser cette clé base32 plutôt qu'une nouvelle (une clé déjà dans l'application)"#,
    ),
    (
        r#"Write the JSON to this file instead of stdout"#,
        r#"Écrire le JSON dans ce fichier au lieu de la sortie standard"#,
    ),
    (
        r#"`required` or `optional`"#,
        r#"`required` (obligatoire) ou `optional` (facultatif)"#,
    ),
    (
        r#"The day the post returned the letter, not collected or not delivered"#,
        r#"Le jour où La Poste a retourné la lettre, non réclamée (« pli avisé et non réclamé ») ou non distribuée"#,
    ),
    (
        r#"Change the court seized or the lawyer / commissaire de justice of a file"#,
        r#"Changer la juridiction saisie ou l'avocat / le commissaire de justice d'un dossier"#,
    ),
    (
        r#"The court: its seat ("Lyon") or its full name"#,
        r#"La juridiction : son siège (« Lyon ») ou son nom complet"#,
    ),
    (
        r#"Attach a document to a file (PDF, PNG or JPEG): it joins the evidence bundle"#,
        r#"Joindre un document à un dossier (PDF, PNG ou JPEG) : il rejoint le bordereau de pièces"#,
    ),
    (
        r#"Decide on a debtor's overdue claims: open a legal file on a route the advisor finds open, or record a decision not to litigate (write_off writes the claims off)"#,
        r#"Décider du sort des créances échues d'un débiteur : ouvrir un dossier contentieux sur une voie que le conseiller juge ouverte, ou consigner la décision de ne pas agir (write_off passe les créances en perte)"#,
    ),
    (
        r#"For closed: paid, settled, unrecoverable or abandoned"#,
        r#"Pour `closed` : `paid` (payé), `settled` (transigé), `unrecoverable` (irrécouvrable) ou `abandoned` (abandonné)"#,
    ),
    (
        r#"Import a lawyer's or commissaire de justice's answers (CSV: file, date, kind, value, amount, recoverable, outcome, reference, note); all or nothing"#,
        r#"Importer les réponses d'un avocat ou d'un commissaire de justice (CSV, colonnes `file`, `date`, `kind`, `value`, `amount`, `recoverable`, `outcome`, `reference`, `note`) ; tout ou rien"#,
    ),
    (
        r#"injonction_de_payer, petites_creances, refere_provision, eu_order, eu_small_claims, write_off, keep_amicable or sell"#,
        r#"injonction_de_payer, petites_creances, refere_provision, eu_order, eu_small_claims, write_off (perte), keep_amicable (rester en amiable) ou sell (céder)"#,
    ),
    (
        r#"Its title in the list of exhibits"#,
        r#"Son intitulé dans le bordereau de pièces"#,
    ),
    (
        r#"One file: decision, claims and amounts as of --as-of, stages, deadlines, costs"#,
        r#"Un dossier : décision, créances et montants au --as-of, étapes, délais, frais"#,
    ),
    (
        r#"open, closed or declined"#,
        r#"open (ouvert), closed (clos) ou declined (sans action judiciaire)"#,
    ),
    (
        r#"Print the data of Form A (European order for payment) to copy into the official form"#,
        r#"Afficher les données du formulaire A (injonction de payer européenne) à recopier dans le formulaire officiel"#,
    ),
    (
        r#"Record a cost: court_fee, commissaire, lawyer, translation, article_700 or other"#,
        r#"Consigner un frais : court_fee (frais de greffe), commissaire, lawyer (avocat), translation (traduction), article_700 ou other (autre)"#,
    ),
    (
        r#"Record a payment collected during the procedure (posted to the file's claims)"#,
        r#"Consigner un paiement recouvré pendant la procédure (imputé sur les créances du dossier)"#,
    ),
    (
        r#"Record a stage of the procedure (request_filed, order_made, order_served, opposition, enforceable, enforcement_act, withdrawn, closed...)"#,
        r#"Consigner une étape de la procédure (request_filed, order_made, order_served, opposition, enforceable, enforcement_act, withdrawn, closed…)"#,
    ),
    (
        r#"Recoverable from the debtor (dépens) rather than borne by the creditor"#,
        r#"Recouvrable sur le débiteur (dépens) plutôt qu'à la charge du créancier"#,
    ),
    (r#"The amount"#, r#"Le montant"#),
    (
        r#"The amount (in euros unless a currency code is given)"#,
        r#"Le montant (en euros sauf code de devise)"#,
    ),
    (
        r#"The claims (ids, comma-separated); default: every overdue claim"#,
        r#"Les créances (identifiants séparés par des virgules) ; par défaut : toutes les créances échues"#,
    ),
    (
        r#"The court seized ("Tribunal de commerce de Lyon")"#,
        r#"La juridiction saisie (« Tribunal de commerce de Lyon »)"#,
    ),
    (
        r#"The court's or the commissaire's reference"#,
        r#"La référence de la juridiction ou du commissaire de justice"#,
    ),
    (r#"The CSV file"#, r#"Le fichier CSV"#),
    (r#"The day it happened"#, r#"Le jour où elle a eu lieu"#),
    (
        r#"The day it was collected"#,
        r#"Le jour où il a été recouvré"#,
    ),
    (
        r#"The day it was incurred"#,
        r#"Le jour où il a été engagé"#,
    ),
    (
        r#"The day the document bears"#,
        r#"La date que porte le document"#,
    ),
    (r#"The document"#, r#"Le document"#),
    (r#"The file's id"#, r#"L'identifiant du dossier"#),
    (
        r#"The judicial phase measured: files by route and stage, time to title, recovery and net recovery by route and amount band, against amicable collection"#,
        r#"La phase judiciaire mesurée : dossiers par voie et par étape, délai d'obtention du titre, taux de recouvrement et recouvrement net par voie et par tranche de montant, comparés au recouvrement amiable"#,
    ),
    (
        r#"The judicial phase: legal files from the decision to the enforceable title and its enforcement — stages, deadlines, costs, documents, answers, report"#,
        r#"La phase judiciaire : les dossiers contentieux, de la décision au titre exécutoire et à son exécution — étapes, délais, frais, documents, réponses, rapport"#,
    ),
    (r#"The kind of cost"#, r#"La nature du frais"#),
    (
        r#"The lawyer or commissaire de justice handling the file"#,
        r#"L'avocat ou le commissaire de justice chargé du dossier"#,
    ),
    (
        r#"The legal files, open ones by next deadline first"#,
        r#"Les dossiers contentieux, les ouverts par prochaine échéance d'abord"#,
    ),
    (r#"The stage"#, r#"L'étape"#),
    (r#"Where to write the PDF"#, r#"Où écrire le PDF"#),
    (r#"Where to write the ZIP"#, r#"Où écrire le ZIP"#),
    (r#"Who collected it"#, r#"Qui l'a recouvré"#),
    (
        r#"Why (kept with the decision)"#,
        r#"Pourquoi (conservé avec la décision)"#,
    ),
    (
        r#"Write the evidence bundle: the numbered list of exhibits, then each exhibit, as one PDF"#,
        r#"Écrire le dossier de pièces : le bordereau numéroté, puis chaque pièce, en un seul PDF"#,
    ),
    (
        r#"Write the hand-off ZIP for a lawyer or a commissaire de justice: the bundle, the originals numbered alike, and dossier.json"#,
        r#"Écrire le ZIP de transmission à un avocat ou un commissaire de justice : le dossier de pièces, les originaux numérotés de même, et dossier.json"#,
    ),
    (
        r#"Write the mandate to a commissaire de justice for the simplified small-claims procedure, as a PDF"#,
        r#"Écrire le mandat au commissaire de justice pour la procédure simplifiée de recouvrement des petites créances, en PDF"#,
    ),
    (
        r#"Write the request for an order for payment (injonction de payer), in French, as a PDF; refused, naming what is missing, when the creditor's or the debtor's details are incomplete"#,
        r#"Écrire la requête en injonction de payer, en français, en PDF ; refusée, avec ce qui manque, quand les coordonnées du créancier ou du débiteur sont incomplètes"#,
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// Every English help of `cmd` and its subcommands, lines joined.
    fn english(cmd: &Command, out: &mut Vec<String>) {
        let args = cmd
            .get_arguments()
            .map(|a| a.get_long_help().or(a.get_help()));
        for help in std::iter::once(cmd.get_long_about().or(cmd.get_about()))
            .chain(args)
            .flatten()
        {
            out.push(normalize(&help.to_string()));
        }
        for sub in cmd.get_subcommands() {
            english(sub, out);
        }
    }

    #[test]
    fn every_command_and_argument_has_its_french_help() {
        let mut cmd = crate::cli::Cli::command();
        cmd.build();
        let mut all = Vec::new();
        english(&cmd, &mut all);
        all.sort();
        all.dedup();
        let missing: Vec<&String> = all
            .iter()
            .filter(|en| !FR.iter().any(|(k, _)| k == en))
            .collect();
        assert!(
            missing.is_empty(),
            "no French help in help_fr.rs for:\n{}",
            missing
                .iter()
                .map(|en| format!("    {en}"))
                .collect::<Vec<_>>()
                .join("\n")
        );
        // And no entry is left over from a help reworded or removed.
        let unused: Vec<&str> = FR
            .iter()
            .map(|(en, _)| *en)
            .filter(|en| !all.iter().any(|a| a == en))
            .collect();
        assert!(unused.is_empty(), "entries for nothing: {unused:?}");
    }

    #[test]
    fn the_french_help_is_french() {
        let cmd = french(crate::cli::Cli::command());
        let mut cmd = cmd;
        let help = cmd.render_help().to_string();
        assert!(help.contains("Utilisation :"), "{help}");
        assert!(help.contains("Commandes"), "{help}");
        assert!(!help.contains("Usage:"), "{help}");
    }
}
