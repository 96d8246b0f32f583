//! `ApiError`: every answer that is not a success, with its HTTP status and Twilio error code.
//!
//! Handlers and extractors return it; the edge middleware renders its body in the format the
//! request's path asks for, so no call site deals with formats.
use crate::storage::StoreError;
use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};

#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    #[error("Authenticate")]
    Unauthenticated,
    /// Rendered as "The requested resource {path} was not found", with the path as requested.
    #[error("The requested resource was not found")]
    NotFound,
    #[error("Method not allowed")]
    MethodNotAllowed { allow: String },
    #[error("The request body is larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("{0}")]
    InvalidParameter(String),
    #[error("A subaccount cannot change its own Status")]
    SubaccountCannotChangeStatus,
    #[error("The Status of a main account cannot be changed")]
    MainAccountStatus,
    #[error("The account is closed: its Status cannot change")]
    AccountClosed,
    #[error("Status must be one of active, suspended or closed")]
    InvalidStatus,
    #[error("Only a main account can create subaccounts")]
    SubaccountCannotCreate,
    #[error("This account has reached its limit of {limit} subaccounts")]
    SubaccountLimit { limit: u32 },
    #[error("This account has reached its limit of {limit} API keys")]
    KeyLimit { limit: u32 },
    #[error("PageToken is not valid")]
    InvalidPageToken,
    #[error("The control plane takes the main account's AuthToken or one of its Main keys")]
    Forbidden,
    /// The answer of a fault the tenant armed through the control plane.
    #[error("Fault {id} armed through the emulator's control plane answered this request")]
    Injected { id: crate::domain::FaultId, status: u16, code: u32 },
    #[error("Too many requests: this account's request rate limit is exceeded")]
    TooManyRequests,
    #[error("The request URL is longer than {limit} bytes")]
    UriTooLong { limit: usize },
    #[error("The service is temporarily unavailable")]
    Unavailable,
    #[error("Internal server error")]
    Internal,
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Unauthenticated => StatusCode::UNAUTHORIZED,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::SubaccountCannotChangeStatus => StatusCode::FORBIDDEN,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            Self::UriTooLong { .. } => StatusCode::URI_TOO_LONG,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::Injected { status, .. } => StatusCode::from_u16(*status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE),
            Self::InvalidParameter(_)
            | Self::MainAccountStatus
            | Self::AccountClosed
            | Self::InvalidStatus
            | Self::SubaccountCannotCreate
            | Self::SubaccountLimit { .. }
            | Self::KeyLimit { .. }
            | Self::InvalidPageToken => StatusCode::BAD_REQUEST,
        }
    }

    pub fn code(&self) -> u32 {
        match self {
            Self::Unauthenticated => 20003,
            Self::NotFound => 20404,
            Self::MethodNotAllowed { .. } => 20004,
            Self::PayloadTooLarge { .. }
            | Self::UriTooLong { .. }
            | Self::InvalidParameter(_)
            | Self::KeyLimit { .. } => 20001,
            Self::TooManyRequests => 20429,
            Self::SubaccountCannotChangeStatus | Self::Forbidden => 20403,
            Self::Injected { code, .. } => *code,
            Self::MainAccountStatus => 21477,
            Self::AccountClosed => 21479,
            Self::InvalidStatus => 21475,
            Self::SubaccountCannotCreate => 21101,
            Self::SubaccountLimit { .. } => 21480,
            Self::InvalidPageToken => 21481,
            Self::Unavailable | Self::Internal => 20500,
        }
    }

    /// The message of the body; a 404 names the path as it was requested.
    pub fn message(&self, path: &str) -> String {
        match self {
            Self::NotFound => format!("The requested resource {path} was not found"),
            other => other.to_string(),
        }
    }

    /// 20001 for a parameter whose value cannot be used, naming the parameter.
    pub fn invalid(parameter: &str, why: impl std::fmt::Display) -> Self {
        Self::InvalidParameter(format!("Invalid {parameter}: {why}"))
    }

    pub fn repeated(parameter: &str) -> Self {
        Self::InvalidParameter(format!("Parameter {parameter} may be given only once"))
    }
}

/// Every store error a handler can meet, mapped once: an unreachable database is a 503, a broken
/// invariant a 500 whose cause goes to the log, never to the client.
impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => Self::NotFound,
            StoreError::Closed => Self::AccountClosed,
            StoreError::SubaccountLimit(limit) => Self::SubaccountLimit { limit },
            StoreError::KeyLimit(limit) => Self::KeyLimit { limit },
            StoreError::SnapshotLimit(limit) => {
                Self::InvalidParameter(format!("This tenant has reached its limit of {limit} snapshots"))
            }
            StoreError::FaultLimit(limit) => {
                Self::InvalidParameter(format!("This tenant has reached its limit of {limit} armed faults"))
            }
            StoreError::UnknownCursor => Self::InvalidPageToken,
            StoreError::Unavailable(cause) => {
                tracing::warn!(error = %cause, "database unavailable");
                Self::Unavailable
            }
            other @ (StoreError::Conflict | StoreError::Corrupt(_) | StoreError::Other(_)) => {
                tracing::error!(error = %other, "storage failed");
                Self::Internal
            }
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    /// Status and headers; the body is written by the edge middleware, which knows the format.
    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status());
        match self {
            Self::Unauthenticated => {
                response.insert_header((header::WWW_AUTHENTICATE, "Basic realm=\"Twilio API\""));
            }
            Self::MethodNotAllowed { allow } => {
                response.insert_header((header::ALLOW, allow.as_str()));
            }
            Self::TooManyRequests | Self::Injected { status: 429, .. } => {
                response.insert_header((header::RETRY_AFTER, "1"));
            }
            _ => {}
        }
        let mut response = response.finish();
        response.extensions_mut().insert(self.clone());
        response
    }
}
