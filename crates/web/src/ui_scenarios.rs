//! The scenario editor (managers and administrators): the scenarios in force with their
//! steps and the assignment rules, and a form holding every TOML file of the set. The
//! form checks the set with the validation `recouvre scenarios load` uses (an error is
//! shown next to its file, with its line; nothing is saved), previews what tomorrow's run
//! would do with it (`run --preview` on the edited set), or saves it (audited); another
//! button goes back to the shipped scenarios. A saved set applies at the next request
//! and the next run: [`app::scenarios::ScenarioCache`] sees the change.

use crate::AppState;
use crate::api::Params;
use crate::auth::Ctx;
use crate::fmt;
use crate::i18n::Tr;
use crate::ui::{OrPage, Page, PageResult, finish, render, see_other, with_notice};
use app::scenarios::ScenarioFiles;
use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use domain::dunning::{ScenarioError, ScenarioSet};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/scenarios", get(editor).post(submit))
        .route("/scenarios/reset", post(reset))
}

/// One step of a scenario, ready to show.
#[derive(Debug)]
struct StepRow {
    code: String,
    offset: i32,
    channels: String,
    stage: String,
    penalties: bool,
}

#[derive(Debug)]
struct ScenarioRow {
    code: String,
    name: String,
    default: bool,
    steps: Vec<StepRow>,
}

/// One file of the form: its name, its text, its line count (for the gutter) and the
/// error found in it, if any.
#[derive(Debug)]
struct FileBox {
    index: usize,
    name: String,
    text: String,
    /// Each line number, and whether the error is on it.
    lines: Vec<(usize, bool)>,
    error: Option<String>,
    error_line: Option<usize>,
}

#[derive(Debug)]
struct PreviewRow {
    label: String,
    count: usize,
}

/// What tomorrow's run would do with the set shown.
#[derive(Debug)]
struct Preview {
    day: String,
    count: usize,
    by: Vec<PreviewRow>,
    stale: bool,
    /// The debtors whose legal step would wait for a payment in review: name and reason,
    /// in the page's language.
    held: Vec<String>,
}

#[derive(Template)]
#[template(path = "scenarios.html")]
struct EditorPage {
    page: Page,
    shipped: bool,
    scenarios: Vec<ScenarioRow>,
    rules: Vec<(usize, String, String)>,
    default_code: String,
    files: Vec<FileBox>,
    /// The assignment rules' file (one).
    assignment: Vec<FileBox>,
    /// An error not tied to one file.
    error: Option<String>,
    valid: bool,
    preview: Option<Preview>,
}

fn rows(set: &ScenarioSet, t: &Tr) -> (Vec<ScenarioRow>, Vec<(usize, String, String)>) {
    let lang = t.lang;
    let scenarios = set
        .scenarios()
        .iter()
        .map(|s| ScenarioRow {
            code: s.code().as_str().to_string(),
            name: s.name(lang.code()).to_string(),
            default: s.code() == set.default_scenario().code(),
            steps: s
                .steps()
                .iter()
                .map(|st| StepRow {
                    code: st.code.as_str().to_string(),
                    offset: st.offset_days,
                    channels: crate::ui::channels_text(&st.channels.to_string(), t),
                    stage: crate::ui::stage_text(&st.stage.to_string(), t),
                    penalties: st.claim_penalties,
                })
                .collect(),
        })
        .collect();
    let rules = set
        .rules()
        .enumerate()
        .map(|(i, r)| {
            (
                i + 1,
                r.scenario.as_str().to_string(),
                r.when.describe(|m| fmt::money(m, lang)),
            )
        })
        .collect();
    (scenarios, rules)
}

fn file_box(index: usize, name: &str, text: &str, error: Option<&ScenarioError>) -> FileBox {
    let mine = error.filter(|e| e.origin == name);
    // Room to type below the last line: the textarea shows every line without scrolling,
    // so the gutter's numbers stay beside their lines.
    let count = text.lines().count() + 3;
    let hit = mine.and_then(|e| e.line);
    FileBox {
        index,
        name: name.to_string(),
        text: text.to_string(),
        lines: (1..=count).map(|n| (n, hit == Some(n))).collect(),
        error: mine.map(|e| e.kind.to_string()),
        error_line: mine.and_then(|e| e.line),
    }
}

/// Renders the editor for `files`, with the set they build (or the error they give).
#[allow(clippy::too_many_arguments)]
fn editor_page(
    state: &AppState,
    ctx: &Ctx,
    p: Option<&Params>,
    files: &ScenarioFiles,
    checked: &Result<ScenarioSet, ScenarioError>,
    in_force: &ScenarioSet,
    preview: Option<&app::dunning::RunReport>,
) -> Response {
    let mut page = Page::new(state, ctx, "nav-scenarios", "/scenarios");
    if let Some(p) = p {
        page = page.with_notice(p);
    }
    let t = page.t.clone();
    let error = checked.as_ref().err();
    let shown = checked.as_ref().unwrap_or(in_force);
    let (scenarios, rules) = rows(shown, &t);
    let file_names: Vec<&str> = files
        .scenarios
        .iter()
        .map(|(n, _)| n.as_str())
        .chain(std::iter::once(files.assignment.0.as_str()))
        .collect();
    let loose = error
        .filter(|e| !file_names.contains(&e.origin.as_str()))
        .map(ToString::to_string);
    let lang = ctx.lang;
    let mut response = render(&EditorPage {
        shipped: files.shipped,
        default_code: shown.default_scenario().code().as_str().to_string(),
        scenarios,
        rules,
        files: files
            .scenarios
            .iter()
            .enumerate()
            .map(|(i, (n, text))| file_box(i, n, text, error))
            .collect(),
        assignment: vec![file_box(0, &files.assignment.0, &files.assignment.1, error)],
        error: loose,
        valid: error.is_none(),
        preview: preview.map(|r| {
            let mut by = Vec::new();
            for (channel, count) in &r.actions_by_channel {
                by.push(PreviewRow {
                    label: t.get(&format!("channel-{channel}")),
                    count: *count,
                });
            }
            let held = r
                .held_back
                .iter()
                .map(|h| {
                    let reason = match lang {
                        crate::i18n::Lang::Fr => &h.reason_fr,
                        crate::i18n::Lang::En => &h.reason_en,
                    };
                    format!("{} — {reason}", h.debtor_name)
                })
                .collect();
            Preview {
                day: fmt::date(r.as_of, lang),
                count: r.actions.len(),
                by,
                stale: r.stale.is_some(),
                held,
            }
        }),
        page,
    });
    if error.is_some() {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

async fn editor(State(state): State<AppState>, ctx: Ctx, p: Params) -> Response {
    finish(&state, editor_inner(&state, ctx, p).await)
}

async fn editor_inner(state: &AppState, ctx: Ctx, p: Params) -> PageResult {
    let mut tx = state.store.begin().await.page(&ctx)?;
    let files = app::scenarios::stored_files(tx.as_mut()).await.page(&ctx)?;
    let in_force = state.scenarios.get(tx.as_mut()).await.page(&ctx)?;
    drop(tx);
    let checked = Ok((*in_force).clone());
    Ok(editor_page(
        state,
        &ctx,
        Some(&p),
        &files,
        &checked,
        &in_force,
        None,
    ))
}

/// The files the form carries: `name_N`/`text_N` for each scenario file, `assignment`,
/// and perhaps a new file (`new_name`, `new_text`).
fn files_of(form: &[(String, String)]) -> ScenarioFiles {
    let get = |k: &str| {
        form.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.replace("\r\n", "\n"))
    };
    let mut scenarios = Vec::new();
    for i in 0.. {
        let (Some(name), Some(text)) = (get(&format!("name_{i}")), get(&format!("text_{i}")))
        else {
            break;
        };
        scenarios.push((name.trim().to_string(), text));
    }
    if let (Some(name), Some(text)) = (get("new_name"), get("new_text"))
        && !name.trim().is_empty()
        && !text.trim().is_empty()
    {
        let name = name.trim();
        let name = if name.ends_with(".toml") {
            name.to_string()
        } else {
            format!("{name}.toml")
        };
        scenarios.push((name, text));
    }
    ScenarioFiles {
        scenarios,
        assignment: (
            "assignment.toml".into(),
            get("assignment").unwrap_or_default(),
        ),
        shipped: false,
    }
}

async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    finish(&state, submit_inner(&state, ctx, &form).await)
}

/// `POST /scenarios`: `do=check` validates, `do=preview` also runs tomorrow's preview on
/// the edited set, `do=save` stores it (audited). Errors keep the text as typed.
async fn submit_inner(state: &AppState, ctx: Ctx, form: &[(String, String)]) -> PageResult {
    let files = files_of(form);
    let action = form
        .iter()
        .find(|(k, _)| k == "do")
        .map_or("check", |(_, v)| v.as_str());
    let checked = files.check();
    let mut tx = state.store.begin().await.page(&ctx)?;
    let in_force = state.scenarios.get(tx.as_mut()).await.page(&ctx)?;
    drop(tx);
    match (&checked, action) {
        (Ok(_), "save") => {
            let actor = ctx.actor().page(&ctx)?;
            app::audit::load_scenarios(state.store.as_ref(), state.clock.as_ref(), &actor, &files)
                .await
                .page(&ctx)?;
            Ok(see_other(&with_notice("/scenarios", "scenarios-saved")))
        }
        (Ok(set), "preview") => {
            let report =
                app::dunning::preview_with(state.store.as_ref(), state.clock.as_ref(), set.clone())
                    .await
                    .page(&ctx)?;
            Ok(editor_page(
                state,
                &ctx,
                None,
                &files,
                &checked,
                &in_force,
                Some(&report),
            ))
        }
        _ => Ok(editor_page(
            state, &ctx, None, &files, &checked, &in_force, None,
        )),
    }
}

async fn reset(State(state): State<AppState>, ctx: Ctx) -> Response {
    finish(&state, reset_inner(&state, ctx).await)
}

/// `POST /scenarios/reset`: back to the shipped scenarios (audited).
async fn reset_inner(state: &AppState, ctx: Ctx) -> PageResult {
    let actor = ctx.actor().page(&ctx)?;
    app::audit::reset_scenarios(state.store.as_ref(), state.clock.as_ref(), &actor)
        .await
        .page(&ctx)?;
    Ok(see_other(&with_notice("/scenarios", "scenarios-reset")))
}
