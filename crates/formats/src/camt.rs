//! # ISO 20022 camt.053 / camt.054 (and camt.052) reader
//!
//! [`read_camt`] reads a bank-to-customer statement (`BkToCstmrStmt/Stmt`, camt.053), a
//! debit/credit notification (`BkToCstmrDbtCdtNtfctn/Ntfctn`, camt.054) or an account
//! report (`BkToCstmrAcctRpt/Rpt`, camt.052), versions .001.02 to .001.13, into
//! [`Statement`]s. Paths are those of `shared/domain-rules.md` §11.2.
//!
//! What it tolerates, because banks send it:
//! - any namespace, or none: elements are matched by local name (the Austrian STUZZA
//!   files use `ISO:camt.053.001.02:APC:STUZZA:payments:003`);
//! - `<Sts>BOOK</Sts>` (up to .07) and `<Sts><Cd>BOOK</Cd></Sts>` (.08 on);
//! - balances without `CdtDbtInd` (read as credit), amounts without decimals (`500000`);
//! - several statements per message, minified single-line XML;
//! - `Dt` or `DtTm` dates (the date part is kept);
//! - balances and entries that do not reconcile (see [`Statement::reconciles`]).
//!
//! What it refuses, with the byte offset, line and element path: XML that is not
//! well-formed, a root that is not a camt message, an entry without amount, currency or
//! credit/debit indicator, an amount or date that does not parse, a currency that is not
//! ISO 4217.
//!
//! The whole file is read into a small tree of elements first (statements are at most a
//! few megabytes), then walked; depth is limited so hostile input cannot exhaust the stack.

use crate::statement::{
    AccountId, Balance, Entry, EntryStatus, Source, Statement, StatementError, TxDetail, line_of,
};
use domain::money::parse_currency;
use domain::{Currency, Date, Money};
use quick_xml::events::Event;

/// Deepest element nesting accepted (real camt files nest about 12 deep).
const MAX_DEPTH: usize = 64;

/// Reads every statement (or notification, or report) of a camt file.
pub fn read_camt(file: &str, bytes: &[u8]) -> Result<Vec<Statement>, StatementError> {
    let root = parse_tree(file, bytes)?;
    let ctx = Ctx { file, bytes };
    let doc = if root.name == "Document" {
        &root
    } else {
        // Some exports omit the Document wrapper.
        return read_message(&ctx, &root, "")
            .and_then(|r| r.ok_or_else(|| ctx.err(&root, &root.name, not_camt(&root.name))));
    };
    for child in &doc.children {
        if let Some(statements) = read_message(&ctx, child, "Document/")? {
            return Ok(statements);
        }
    }
    let first = doc.children.first().map_or("nothing", |c| c.name.as_str());
    Err(ctx.err(
        doc,
        "Document",
        format!(
            "not a camt.053/054 file: Document holds <{first}>, expected BkToCstmrStmt, BkToCstmrDbtCdtNtfctn or BkToCstmrAcctRpt"
        ),
    ))
}

/// XML allows no NUL character, and PostgreSQL cannot store one.
fn refuse_nul(text: &str) -> Result<(), String> {
    if text.contains('\0') {
        Err("the text holds a NUL character (byte 0x00), which XML does not allow".into())
    } else {
        Ok(())
    }
}

fn not_camt(name: &str) -> String {
    format!(
        "not a camt.053/054 file: the root element is <{name}>, expected <Document> holding BkToCstmrStmt or BkToCstmrDbtCdtNtfctn"
    )
}

/// One element: local name, `Ccy` attribute, text, children, byte offset of its start tag.
#[derive(Debug, Default)]
struct Node {
    name: String,
    ccy: Option<String>,
    text: String,
    children: Vec<Node>,
    offset: usize,
}

impl Node {
    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }
    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
    /// The node at a `/`-separated path of local names.
    fn at(&self, path: &str) -> Option<&Node> {
        path.split('/').try_fold(self, |n, part| n.child(part))
    }
    /// The trimmed, non-empty text at a path.
    fn text_at(&self, path: &str) -> Option<String> {
        let t = self.at(path)?.text.trim();
        (!t.is_empty()).then(|| t.to_string())
    }
}

struct Ctx<'a> {
    file: &'a str,
    bytes: &'a [u8],
}

impl Ctx<'_> {
    fn err(&self, node: &Node, path: &str, reason: String) -> StatementError {
        StatementError {
            file: self.file.to_string(),
            line: line_of(self.bytes, node.offset),
            offset: node.offset as u64,
            location: path.to_string(),
            reason,
        }
    }
}

fn parse_tree(file: &str, bytes: &[u8]) -> Result<Node, StatementError> {
    let fail = |offset: u64, location: String, reason: String| StatementError {
        file: file.to_string(),
        line: line_of(bytes, usize::try_from(offset).unwrap_or(usize::MAX)),
        offset,
        location,
        reason,
    };
    // A UTF-8 byte-order mark is allowed; anything else must be UTF-8 (camt is UTF-8).
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let bom = bytes.len() - body.len();
    let mut reader = quick_xml::Reader::from_reader(body);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Node> = Vec::new();
    let mut root: Option<Node> = None;
    let mut buf = Vec::new();
    let path_of = |stack: &[Node]| {
        stack
            .iter()
            .map(|n| n.name.as_str())
            .collect::<Vec<_>>()
            .join("/")
    };
    loop {
        let start = reader.buffer_position() + bom as u64;
        let event = reader.read_event_into(&mut buf).map_err(|e| {
            fail(
                reader.error_position() + bom as u64,
                path_of(&stack),
                format!("malformed XML: {e}"),
            )
        })?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                if root.is_some() {
                    return Err(fail(
                        start,
                        String::new(),
                        "content after the root element".into(),
                    ));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(fail(
                        start,
                        path_of(&stack),
                        "elements nested too deep".into(),
                    ));
                }
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                let mut ccy = None;
                for attr in e.attributes() {
                    let attr = attr.map_err(|err| {
                        fail(
                            start,
                            path_of(&stack),
                            format!("malformed attribute: {err}"),
                        )
                    })?;
                    if attr.key.local_name().as_ref() == b"Ccy" {
                        ccy = Some(String::from_utf8_lossy(&attr.value).trim().to_string());
                    }
                }
                let node = Node {
                    name,
                    ccy,
                    offset: usize::try_from(start).unwrap_or(usize::MAX),
                    ..Node::default()
                };
                if matches!(event, Event::Start(_)) {
                    stack.push(node);
                } else {
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(node),
                        None => root = Some(node),
                    }
                }
            }
            Event::End(_) => {
                let Some(node) = stack.pop() else {
                    return Err(fail(start, String::new(), "unexpected end tag".into()));
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => root = Some(node),
                }
            }
            Event::Text(t) => {
                let raw = std::str::from_utf8(t.as_ref())
                    .map_err(|_| fail(start, path_of(&stack), "text is not UTF-8".into()))?;
                refuse_nul(raw).map_err(|r| fail(start, path_of(&stack), r))?;
                push_text(&mut stack, raw, start, &fail, &path_of)?;
            }
            Event::CData(t) => {
                let raw = std::str::from_utf8(t.as_ref())
                    .map_err(|_| fail(start, path_of(&stack), "text is not UTF-8".into()))?;
                refuse_nul(raw).map_err(|r| fail(start, path_of(&stack), r))?;
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(raw);
                }
            }
            Event::GeneralRef(r) => {
                let name = String::from_utf8_lossy(r.as_ref()).into_owned();
                let resolved = resolve_entity(&name).ok_or_else(|| {
                    fail(start, path_of(&stack), format!("unknown entity &{name};"))
                })?;
                if let Some(top) = stack.last_mut() {
                    top.text.push(resolved);
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
        buf.clear();
    }
    if !stack.is_empty() {
        return Err(fail(
            bytes.len() as u64,
            path_of(&stack),
            "the file ends before its elements are closed (truncated?)".into(),
        ));
    }
    root.ok_or_else(|| fail(0, String::new(), "not a camt file: no XML element".into()))
}

fn push_text(
    stack: &mut [Node],
    raw: &str,
    start: u64,
    fail: &impl Fn(u64, String, String) -> StatementError,
    path_of: &impl Fn(&[Node]) -> String,
) -> Result<(), StatementError> {
    match stack.last_mut() {
        Some(top) => top.text.push_str(raw),
        None if raw.trim().is_empty() => {}
        None => {
            return Err(fail(
                start,
                path_of(stack),
                "not a camt file: text outside any element".into(),
            ));
        }
    }
    Ok(())
}

/// The five predefined XML entities and character references.
fn resolve_entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let code =
                if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                    u32::from_str_radix(hex, 16).ok()?
                } else {
                    name.strip_prefix('#')?.parse().ok()?
                };
            char::from_u32(code)
        }
    }
}

/// Reads `BkToCstmrStmt`, `BkToCstmrDbtCdtNtfctn` or `BkToCstmrAcctRpt`; `None` for any
/// other element.
fn read_message(
    ctx: &Ctx<'_>,
    msg: &Node,
    prefix: &str,
) -> Result<Option<Vec<Statement>>, StatementError> {
    let (source, item) = match msg.name.as_str() {
        "BkToCstmrStmt" => (Source::Camt053, "Stmt"),
        "BkToCstmrDbtCdtNtfctn" => (Source::Camt054, "Ntfctn"),
        "BkToCstmrAcctRpt" => (Source::Camt052, "Rpt"),
        _ => return Ok(None),
    };
    let path = format!("{prefix}{}/{item}", msg.name);
    let mut out = Vec::new();
    for (i, stmt) in msg.all(item).enumerate() {
        out.push(read_statement(
            ctx,
            stmt,
            source,
            &format!("{path}[{}]", i + 1),
        )?);
    }
    Ok(Some(out))
}

fn read_statement(
    ctx: &Ctx<'_>,
    stmt: &Node,
    source: Source,
    path: &str,
) -> Result<Statement, StatementError> {
    let id = stmt.text_at("Id").unwrap_or_default();
    let account_text = stmt
        .text_at("Acct/Id/IBAN")
        .or_else(|| stmt.text_at("Acct/Id/Othr/Id"))
        .unwrap_or_default();
    let account = AccountId::from_text(&account_text);
    let mut opening = None;
    let mut closing = None;
    let mut balance_currency = None;
    for (i, bal) in stmt.all("Bal").enumerate() {
        let bpath = format!("{path}/Bal[{}]", i + 1);
        let code = bal
            .text_at("Tp/CdOrPrtry/Cd")
            .or_else(|| bal.text_at("Tp/CdOrPrtry/Prtry"))
            .unwrap_or_default()
            .to_ascii_uppercase();
        let amount = signed_amount(ctx, bal, &bpath, true)?;
        balance_currency.get_or_insert(amount.currency());
        let date = date_of(ctx, bal.child("Dt"), &format!("{bpath}/Dt"))?;
        let balance = Some(Balance { amount, date });
        match code.as_str() {
            "OPBD" => opening = balance,
            "PRCD" if opening.is_none() => opening = balance,
            "CLBD" => closing = balance,
            _ => {}
        }
    }
    let mut entries = Vec::new();
    for (i, ntry) in stmt.all("Ntry").enumerate() {
        entries.push(read_entry(ctx, ntry, &format!("{path}/Ntry[{}]", i + 1))?);
    }
    let declared = match stmt.text_at("Acct/Ccy") {
        Some(code) => Some(currency(ctx, stmt, &format!("{path}/Acct/Ccy"), &code)?),
        None => None,
    };
    let currency = declared
        .or(balance_currency)
        .or_else(|| entries.first().map(|e: &Entry| e.amount.currency()))
        .ok_or_else(|| {
            ctx.err(
                stmt,
                path,
                "no currency: the statement has no Acct/Ccy, no balance and no entry".into(),
            )
        })?;
    Ok(Statement {
        source,
        id,
        account,
        currency,
        opening,
        closing,
        entries,
    })
}

fn currency(
    ctx: &Ctx<'_>,
    node: &Node,
    path: &str,
    code: &str,
) -> Result<Currency, StatementError> {
    parse_currency(code).map_err(|e| ctx.err(node, path, e.to_string()))
}

/// `Amt` (with `Ccy`) of `node`, signed by its `CdtDbtInd` (absent: credit when
/// `default_credit`, else an error).
fn signed_amount(
    ctx: &Ctx<'_>,
    node: &Node,
    path: &str,
    default_credit: bool,
) -> Result<Money, StatementError> {
    let amt = node
        .child("Amt")
        .ok_or_else(|| ctx.err(node, path, "no Amt".into()))?;
    let money = amount(ctx, amt, &format!("{path}/Amt"))?;
    let credit = match node.text_at("CdtDbtInd").as_deref() {
        Some("CRDT") => true,
        Some("DBIT") => false,
        None if default_credit => true,
        Some(other) => {
            return Err(ctx.err(
                node,
                &format!("{path}/CdtDbtInd"),
                format!("{other:?} is neither CRDT nor DBIT"),
            ));
        }
        None => return Err(ctx.err(node, path, "no CdtDbtInd (CRDT or DBIT)".into())),
    };
    Ok(if credit { money } else { money.negated() })
}

/// An unsigned `Amt Ccy="…"` element.
fn amount(ctx: &Ctx<'_>, amt: &Node, path: &str) -> Result<Money, StatementError> {
    let code = amt
        .ccy
        .as_deref()
        .ok_or_else(|| ctx.err(amt, path, "amount without Ccy attribute".into()))?;
    let cur = currency(ctx, amt, path, code)?;
    let text = amt.text.trim();
    // camt amounts are `\d+(\.\d+)?`: no sign, no comma, no spaces.
    if text.is_empty() || !text.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Err(ctx.err(amt, path, format!("{text:?} is not a camt amount")));
    }
    Money::parse(text, cur).map_err(|e| ctx.err(amt, path, e.to_string()))
}

/// `Dt` or `DtTm` inside `node` (`BookgDt`, `ValDt`, `Bal/Dt`).
fn date_of(ctx: &Ctx<'_>, node: Option<&Node>, path: &str) -> Result<Option<Date>, StatementError> {
    let Some(node) = node else { return Ok(None) };
    let Some(text) = node.text_at("Dt").or_else(|| node.text_at("DtTm")) else {
        return Ok(None);
    };
    let day = text.get(..10).unwrap_or(&text);
    domain::date::parse_iso(day)
        .map(Some)
        .map_err(|e| ctx.err(node, path, format!("{text:?} is not a date: {e}")))
}

fn read_entry(ctx: &Ctx<'_>, ntry: &Node, path: &str) -> Result<Entry, StatementError> {
    let amount = signed_amount(ctx, ntry, path, false)?;
    let reversal = ntry
        .text_at("RvslInd")
        .is_some_and(|v| v.eq_ignore_ascii_case("true") || v == "1");
    let status = ntry
        .text_at("Sts/Cd")
        .or_else(|| ntry.text_at("Sts/Prtry"))
        .or_else(|| ntry.text_at("Sts"))
        .map_or(EntryStatus::Booked, |s| EntryStatus::from_code(&s));
    let mut entry = Entry {
        amount,
        booking_date: date_of(ctx, ntry.child("BookgDt"), &format!("{path}/BookgDt"))?,
        value_date: date_of(ctx, ntry.child("ValDt"), &format!("{path}/ValDt"))?,
        reversal,
        status,
        bank_reference: ntry.text_at("AcctSvcrRef"),
        entry_reference: ntry.text_at("NtryRef"),
        bank_transaction_code: ntry.child("BkTxCd").and_then(transaction_code),
        additional_info: ntry.text_at("AddtlNtryInf"),
        unsplit_details: None,
        transactions: Vec::new(),
    };
    let mut details = Vec::new();
    for dtls in ntry.all("NtryDtls") {
        for tx in dtls.all("TxDtls") {
            details.push(read_detail(
                ctx,
                tx,
                amount,
                &format!("{path}/NtryDtls/TxDtls"),
            )?);
        }
    }
    entry.settle_details(details);
    Ok(entry)
}

/// `PMNT/RCDT/ESCT` from `Domn`, else the proprietary code.
fn transaction_code(code: &Node) -> Option<String> {
    let domain = [
        code.text_at("Domn/Cd"),
        code.text_at("Domn/Fmly/Cd"),
        code.text_at("Domn/Fmly/SubFmlyCd"),
    ];
    if domain.iter().any(Option::is_some) {
        return Some(domain.into_iter().flatten().collect::<Vec<_>>().join("/"));
    }
    code.text_at("Prtry/Cd")
}

fn read_detail(
    ctx: &Ctx<'_>,
    tx: &Node,
    entry_amount: Money,
    path: &str,
) -> Result<(Option<Money>, TxDetail), StatementError> {
    // Amount: `TxDtls/Amt` (.04 on) or `AmtDtls/TxAmt/Amt`; signed by the detail's own
    // indicator, else the entry's.
    let amt_node = tx.child("Amt").or_else(|| tx.at("AmtDtls/TxAmt/Amt"));
    let amount = match amt_node {
        Some(node) => {
            let unsigned = amount(ctx, node, &format!("{path}/Amt"))?;
            let credit = match tx.text_at("CdtDbtInd").as_deref() {
                Some("CRDT") => true,
                Some("DBIT") => false,
                _ => entry_amount.minor() >= 0,
            };
            Some(if credit { unsigned } else { unsigned.negated() })
        }
        None => None,
    };
    let credit = entry_amount.minor() >= 0;
    let (party, account) = if credit {
        ("Dbtr", "DbtrAcct")
    } else {
        ("Cdtr", "CdtrAcct")
    };
    let parties = tx.child("RltdPties");
    let counterparty_name = parties.and_then(|p| {
        p.text_at(&format!("{party}/Nm"))
            .or_else(|| p.text_at(&format!("{party}/Pty/Nm")))
    });
    let counterparty_account = parties.and_then(|p| {
        p.text_at(&format!("{account}/Id/IBAN"))
            .or_else(|| p.text_at(&format!("{account}/Id/Othr/Id")))
            .map(|a| AccountId::from_text(&a))
    });
    let mut remittance = Vec::new();
    let mut structured_reference = None;
    let mut structured_reference_type = None;
    if let Some(rmt) = tx.child("RmtInf") {
        for u in rmt.all("Ustrd") {
            let line = u.text.trim();
            if !line.is_empty() {
                remittance.push(line.to_string());
            }
        }
        for strd in rmt.all("Strd") {
            if structured_reference.is_none() {
                structured_reference = strd.text_at("CdtrRefInf/Ref");
                structured_reference_type = strd
                    .text_at("CdtrRefInf/Tp/CdOrPrtry/Cd")
                    .or_else(|| strd.text_at("CdtrRefInf/Tp/CdOrPrtry/Prtry"));
            }
            for add in strd.all("AddtlRmtInf") {
                let line = add.text.trim();
                if !line.is_empty() {
                    remittance.push(line.to_string());
                }
            }
        }
    }
    let refs = tx.child("Refs");
    let r = |name: &str| refs.and_then(|r| r.text_at(name));
    let end_to_end_id = r("EndToEndId").filter(|v| !v.eq_ignore_ascii_case("NOTPROVIDED"));
    let tx = TxDetail {
        amount: entry_amount,
        end_to_end_id,
        transaction_id: r("TxId")
            .or_else(|| r("AcctSvcrRef"))
            .or_else(|| r("InstrId"))
            .or_else(|| r("UETR")),
        mandate_id: r("MndtId"),
        remittance_unstructured: remittance,
        structured_reference,
        structured_reference_type,
        counterparty_name,
        counterparty_account,
        purpose: tx.text_at("Purp/Cd").or_else(|| tx.text_at("Purp/Prtry")),
        return_reason: tx
            .text_at("RtrInf/Rsn/Cd")
            .or_else(|| tx.text_at("RtrInf/Rsn/Prtry")),
        additional_info: tx.text_at("AddtlTxInf"),
    };
    Ok((amount, tx))
}
