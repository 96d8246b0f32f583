//! Faults a tenant arms to make its next requests fail or slow down (CONTROL.md, "Faults").
use super::{FaultId, Timestamp};

/// The statuses a fault may answer with.
pub const FAULT_STATUSES: [u16; 5] = [429, 500, 502, 503, 504];
pub const MAX_FAULT_COUNT: u32 = 10_000;
pub const MAX_FAULT_DELAY_MS: u32 = 30_000;

/// The methods a fault may be limited to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultMethod {
    Get,
    Post,
}

impl FaultMethod {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "GET" => Some(Self::Get),
            "POST" => Some(Self::Post),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
        }
    }
}

/// What a fault does and to which requests, as armed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultSpec {
    /// The error status answered, or none: the request is served after the delay.
    pub status: Option<u16>,
    /// The Twilio code of that error.
    pub code: Option<u32>,
    pub count: u32,
    pub method: Option<FaultMethod>,
    /// A plain prefix of the request path, starting with `/2010-04-01/`.
    pub path: Option<String>,
    pub delay_ms: u32,
}

impl FaultSpec {
    /// Twilio's code for a status when none is given.
    pub fn default_code(status: u16) -> u32 {
        match status {
            429 => 20429,
            503 | 504 => 20503,
            _ => 20500,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub id: FaultId,
    pub spec: FaultSpec,
    pub remaining: u32,
    pub date_created: Timestamp,
}

/// A fault that took one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TakenFault {
    pub id: FaultId,
    pub status: Option<u16>,
    pub code: Option<u32>,
    pub delay_ms: u32,
}
