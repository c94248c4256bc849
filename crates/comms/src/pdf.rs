//! PDF letters, typeset natively by typst with the fonts compiled into the binary (no font
//! is read from the machine, so a letter looks the same everywhere and a test can read it).
//!
//! The layout is one typst source, `letter.typ`, compiled in; the letter's data goes in as
//! a JSON document the source reads (`/data.json`). Every text a person wrote — a template
//! rendered by minijinja, a debtor's name — reaches typst as a JSON string and is set as
//! plain text, never parsed as typst markup: a `#` or a `*` in a company name cannot
//! change the letter.
//!
//! Page geometry (A4, 210 × 297 mm) for a French window envelope: the recipient block is a
//! frame 85 mm wide and 33 mm high whose top left corner is 110 mm from the left edge and
//! 55 mm from the top of the sheet — the frame La Poste's guidance gives for window
//! envelopes, reproduced by edics.fr ("Rédiger vos adresses : les bonnes pratiques": "un
//! cadre de 3,3 cm de haut sur 8,5 cm de large … à 5,5 cm du bord supérieur … et à 11 cm du
//! bord gauche", leaving room above the address for the registered-letter barcode). It
//! shows through the right-hand 45 × 100 mm window of a DL (110 × 220 mm) envelope when
//! the sheet is folded in three; fold marks are printed at 99 mm and 198 mm. Addresses are
//! set in 10 pt (La Poste allows 9 to 12 pt).

use serde::Serialize;
use std::sync::OnceLock;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

/// The typst source of every letter.
const LETTER_TYP: &str = include_str!("letter.typ");
/// The typst source of plain documents ([`render_document`]).
const DOCUMENT_TYP: &str = include_str!("document.typ");

/// A plain document: a title, lines under it, then sections of lines and tables (the
/// export of a debtor's personal data).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Document {
    /// `fr` or `en`.
    pub lang: String,
    pub title: String,
    pub subtitle: Vec<String>,
    pub sections: Vec<Section>,
    /// What an empty section says ("none").
    pub empty: String,
    /// The small print at the foot of every page.
    pub footer: String,
}

/// One section of a [`Document`]: its heading, lines, and an optional table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Section {
    pub heading: String,
    pub lines: Vec<String>,
    pub table: Option<Table>,
}

/// Typesets a plain document into a PDF.
pub fn render_document(document: &Document) -> Result<Vec<u8>, PdfError> {
    let data = serde_json::to_vec(document).map_err(|e| PdfError(e.to_string()))?;
    compile(LetterWorld::new("/document.typ", DOCUMENT_TYP, data))
}

/// A sender or recipient block: a name and the lines under it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Block {
    pub name: String,
    pub lines: Vec<String>,
}

/// The claims table of a letter: headers, rows and the totals row, as display strings
/// (the numbers are formatted before they reach the typesetter).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub totals: Vec<String>,
}

/// One letter, ready to typeset.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Letter {
    /// `fr` or `en`: hyphenation and quotes.
    pub lang: String,
    pub sender: Block,
    /// Telephone, e-mail, company number: small lines under the sender.
    pub sender_contact: Vec<String>,
    pub recipient: Block,
    /// "Lettre recommandée avec accusé de réception", above the address.
    pub mention: Option<String>,
    /// "Paris, le 23 novembre 2026".
    pub place_date: String,
    /// "Réf. : …" lines.
    pub references: Vec<String>,
    /// "Objet : …".
    pub subject: String,
    /// Paragraphs of the body; a paragraph equal to [`CLAIMS_MARK`] or [`PAYMENT_MARK`]
    /// is replaced by the claims table or the payment instructions.
    pub paragraphs: Vec<String>,
    pub table: Option<Table>,
    /// Title and lines of the payment instructions box.
    pub payment_title: String,
    pub payment: Vec<String>,
    /// The small print at the foot of every page.
    pub footer: String,
}

/// Where the claims table goes in the body (a template writes `{{ claims_table }}`).
pub const CLAIMS_MARK: &str = "[[claims_table]]";
/// Where the payment instructions go in the body (`{{ payment_box }}`).
pub const PAYMENT_MARK: &str = "[[payment_box]]";

#[derive(Serialize)]
struct Data<'a> {
    letters: &'a [Letter],
    claims_mark: &'static str,
    payment_mark: &'static str,
}

/// Why a letter could not be typeset. With our own fixed source this means a bug, not bad
/// input; the message carries typst's diagnostics.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the letter could not be typeset / la lettre n'a pas pu être composée: {0}")]
pub struct PdfError(pub String);

/// Typesets letters into one PDF, each starting on a new page with its own page numbers
/// (a batch for the printer, or a single letter).
pub fn render(letters: &[Letter]) -> Result<Vec<u8>, PdfError> {
    let data = serde_json::to_vec(&Data {
        letters,
        claims_mark: CLAIMS_MARK,
        payment_mark: PAYMENT_MARK,
    })
    .map_err(|e| PdfError(e.to_string()))?;
    compile(LetterWorld::new("/letter.typ", LETTER_TYP, data))
}

pub(crate) fn compile(world: LetterWorld) -> Result<Vec<u8>, PdfError> {
    let document = typst::compile::<PagedDocument>(&world)
        .output
        .map_err(|d| diagnostics(&d))?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(|d| diagnostics(&d))
}

fn diagnostics(diags: &[typst::diag::SourceDiagnostic]) -> PdfError {
    PdfError(
        diags
            .iter()
            .map(|d| d.message.to_string())
            .collect::<Vec<_>>()
            .join("; "),
    )
}

/// The fonts shipped inside the binary (typst-assets: Libertinus Serif, New Computer
/// Modern, DejaVu Sans Mono), parsed once per process.
fn fonts() -> &'static (LazyHash<FontBook>, Vec<Font>) {
    static FONTS: OnceLock<(LazyHash<FontBook>, Vec<Font>)> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = typst_assets::fonts()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
    })
}

fn library() -> &'static LazyHash<Library> {
    static LIBRARY: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIBRARY.get_or_init(|| LazyHash::new(Library::builder().build()))
}

fn file_id(path: &str) -> FileId {
    // The paths are literals without `..`: a virtual path cannot fail to build.
    let vpath = VirtualPath::new(path).unwrap_or_else(|_| unreachable!("{path} is a plain path"));
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// The whole world a letter (or a document) sees: its source, its data, the embedded fonts. No file
/// system, no network, no clock (the date is in the data).
pub(crate) struct LetterWorld {
    main: FileId,
    data_id: FileId,
    source: Source,
    data: Bytes,
    /// Binary files the source may read (the images and PDFs of a court bundle), by path.
    files: Vec<(FileId, Bytes)>,
}

impl LetterWorld {
    pub(crate) fn new(path: &str, source: &str, data: Vec<u8>) -> Self {
        let main = file_id(path);
        Self {
            main,
            data_id: file_id("/data.json"),
            source: Source::new(main, source.to_string()),
            data: Bytes::new(data),
            files: Vec::new(),
        }
    }

    /// Adds a binary file the source can read at `path` (an absolute path we build, such
    /// as `/exhibits/03.pdf`).
    pub(crate) fn with_file(mut self, path: &str, bytes: Vec<u8>) -> Self {
        self.files.push((file_id(path), Bytes::new(bytes)));
        self
    }
}

impl World for LetterWorld {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().0
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main {
            Ok(self.source.clone())
        } else {
            Err(FileError::NotFound(
                id.get().vpath().get_without_slash().into(),
            ))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else if id == self.main {
            Ok(Bytes::from_string(self.source.clone()))
        } else if let Some((_, bytes)) = self.files.iter().find(|(f, _)| *f == id) {
            Ok(bytes.clone())
        } else {
            Err(FileError::NotFound(
                id.get().vpath().get_without_slash().into(),
            ))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().1.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        None
    }
}
