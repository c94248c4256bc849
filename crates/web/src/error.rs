//! The one place where failures become HTTP responses. The API answers RFC 9457
//! `application/problem+json`, with a field-level `errors` list when the request itself is
//! wrong; the interface shows the same facts as a page (see `ui::page_error`).

use app::AppError;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// One wrong field of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// The parameter or field name, e.g. `per_page`.
    pub field: String,
    pub message: String,
}

/// An RFC 9457 problem document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem (`about:blank` when the status says it all).
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Field-level detail for a request that is not valid.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("{0}")]
    NotFound(String),
    /// The request is malformed: bad parameters, with the fields at fault.
    #[error("{detail}")]
    BadRequest {
        detail: String,
        fields: Vec<FieldError>,
    },
    /// The request is well-formed but cannot be carried out (a rule refuses it).
    #[error("{0}")]
    Unprocessable(String),
    #[error("sign in first / connectez-vous d'abord")]
    Unauthorized,
    #[error("your role does not allow this / votre rôle ne le permet pas")]
    Forbidden,
    #[error(
        "the form has expired or was not sent by this site; reload the page / formulaire expiré, rechargez la page"
    )]
    Csrf,
    #[error(
        "too many attempts; wait a few minutes / trop de tentatives, patientez quelques minutes"
    )]
    TooManyRequests,
    /// The database is busy with another writer: try again shortly (`Retry-After`).
    #[error("{0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

/// Seconds after which a request refused because the database was busy may be retried.
pub const RETRY_AFTER_SECS: u32 = 5;

impl WebError {
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::NotFound(_) => StatusCode::NOT_FOUND,
            WebError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            WebError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::Unauthorized => StatusCode::UNAUTHORIZED,
            WebError::Forbidden | WebError::Csrf => StatusCode::FORBIDDEN,
            WebError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            WebError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// One wrong field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        WebError::BadRequest {
            detail: format!("{field}: {message}"),
            fields: vec![FieldError {
                field: field.to_string(),
                message,
            }],
        }
    }

    /// The problem document; internal details are logged, never sent.
    pub fn problem(&self) -> Problem {
        let status = self.status();
        let detail = match self {
            WebError::Internal(msg) => {
                tracing::error!("internal error: {}", domain::redact::redact(msg));
                None
            }
            other => Some(other.to_string()),
        };
        let kind = match self {
            WebError::BadRequest { .. } => "/problems/invalid-request",
            WebError::Unprocessable(_) => "/problems/refused",
            WebError::Csrf => "/problems/csrf",
            WebError::Unavailable(_) => "/problems/busy",
            _ => "about:blank",
        };
        Problem {
            kind: kind.to_string(),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail,
            errors: match self {
                WebError::BadRequest { fields, .. } => fields.clone(),
                _ => Vec::new(),
            },
        }
    }
}

impl From<AppError> for WebError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::NotFound { .. } => WebError::NotFound(e.to_string()),
            AppError::Invalid(msg) => WebError::Unprocessable(msg),
            AppError::Csv(_) | AppError::Ledger(_) => WebError::Unprocessable(e.to_string()),
            AppError::Store(s) => s.into(),
        }
    }
}

impl From<comms::CommsError> for WebError {
    fn from(e: comms::CommsError) -> Self {
        match e {
            comms::CommsError::App(a) => a.into(),
            comms::CommsError::Templates(comms::TemplatesError::Unknown(_))
            | comms::CommsError::NoAction(_) => WebError::NotFound(e.to_string()),
            comms::CommsError::Pdf(_) => WebError::Internal(e.to_string()),
            other => WebError::Unprocessable(other.to_string()),
        }
    }
}

impl From<app::StoreError> for WebError {
    fn from(e: app::StoreError) -> Self {
        match e {
            app::StoreError::Busy(_) => WebError::Unavailable(e.to_string()),
            _ => WebError::Internal(e.to_string()),
        }
    }
}

/// `Retry-After` on a response refused because the database was busy.
pub fn with_retry_after(mut response: Response, error: &WebError) -> Response {
    if matches!(error, WebError::Unavailable(_)) {
        response.headers_mut().insert(
            header::RETRY_AFTER,
            header::HeaderValue::from(RETRY_AFTER_SECS),
        );
    }
    response
}

/// The API's rendering: `application/problem+json`.
impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        with_retry_after(problem_response(&self.problem()), &self)
    }
}

pub fn problem_response(p: &Problem) -> Response {
    let status = StatusCode::from_u16(p.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_string(p).unwrap_or_else(|_| "{}".into());
    (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        body,
    )
        .into_response()
}

/// No route here.
pub async fn not_found(uri: axum::http::Uri) -> Response {
    WebError::NotFound(format!("no page at {} / aucune page ici", uri.path())).into_response()
}
