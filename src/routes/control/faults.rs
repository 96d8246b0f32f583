//! Faults: arm (`POST /faults`), list the armed ones, disarm all or one.
use super::{json, ControlPath, FaultPath};
use crate::domain::{Fault, FaultId, FaultMethod, FaultSpec, FAULT_STATUSES, MAX_FAULT_COUNT, MAX_FAULT_DELAY_MS};
use crate::error::ApiError;
use crate::form::Params;
use crate::representation::control::{FaultView, Faults};
use crate::representation::API_PREFIX;
use crate::routes::call::Call;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;

/// Armed faults one tenant may have at once.
const MAX_ARMED_FAULTS: u32 = 100;
/// A path prefix longer than any URL the server accepts could never match.
const MAX_PATH_CHARS: usize = 8192;

#[tracing::instrument(name = "arm fault", level = "debug", skip_all)]
pub async fn arm(call: Call<ControlPath>) -> Result<HttpResponse, ApiError> {
    let spec = parse_spec(&call.form()?)?;
    let fault = Fault { id: FaultId::generate(), remaining: spec.count, spec, date_created: chrono::Utc::now() };
    let armed = call.state.store.arm_fault(&call.caller.credential.tenant, &fault, MAX_ARMED_FAULTS).await?;
    Ok(json(StatusCode::CREATED, &FaultView::new(&armed)))
}

#[tracing::instrument(name = "list faults", level = "debug", skip_all)]
pub async fn list(call: Call<ControlPath>) -> Result<HttpResponse, ApiError> {
    let faults = call.state.store.faults(&call.caller.credential.tenant).await?;
    Ok(json(StatusCode::OK, &Faults { faults: faults.iter().map(FaultView::new).collect() }))
}

#[tracing::instrument(name = "disarm faults", level = "debug", skip_all)]
pub async fn disarm_all(call: Call<ControlPath>) -> Result<HttpResponse, ApiError> {
    call.state.store.disarm_faults(&call.caller.credential.tenant, None).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[tracing::instrument(name = "disarm fault", level = "debug", skip_all)]
pub async fn disarm(call: Call<FaultPath>) -> Result<HttpResponse, ApiError> {
    let id = call.path.id.as_ref().ok_or(ApiError::NotFound)?;
    call.state.store.disarm_faults(&call.caller.credential.tenant, Some(id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A whole number in `range`, else 20001 naming the parameter.
fn number(params: &Params, name: &str, range: std::ops::RangeInclusive<u32>) -> Result<Option<u32>, ApiError> {
    let Some(raw) = params.single(name)? else { return Ok(None) };
    let why = || ApiError::invalid(name, format!("must be an integer from {} to {}", range.start(), range.end()));
    let valid = !raw.is_empty() && raw.len() <= 10 && raw.bytes().all(|b| b.is_ascii_digit());
    let value = valid.then(|| raw.parse::<u32>().ok()).flatten().filter(|n| range.contains(n)).ok_or_else(why)?;
    Ok(Some(value))
}

fn parse_spec(params: &Params) -> Result<FaultSpec, ApiError> {
    let status = match params.single("Status")? {
        None => None,
        Some(raw) => Some(
            raw.parse::<u16>()
                .ok()
                .filter(|status| FAULT_STATUSES.contains(status) && raw.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| ApiError::invalid("Status", "must be 429, 500, 502, 503 or 504"))?,
        ),
    };
    let code = number(params, "Code", 1..=99_999)?;
    let count = number(params, "Count", 1..=MAX_FAULT_COUNT)?.unwrap_or(1);
    let delay_ms = number(params, "DelayMs", 0..=MAX_FAULT_DELAY_MS)?;
    let method = params
        .single("Method")?
        .map(|raw| FaultMethod::parse(raw).ok_or_else(|| ApiError::invalid("Method", "must be GET or POST")))
        .transpose()?;
    let path = params.single("Path")?.map(str::to_owned);
    if let Some(path) = &path {
        if !path.starts_with(&format!("{API_PREFIX}/")) || path.chars().count() > MAX_PATH_CHARS {
            return Err(ApiError::invalid("Path", format!("must be a path prefix starting with {API_PREFIX}/")));
        }
    }
    let code = match (status, code) {
        (Some(status), code) => Some(code.unwrap_or_else(|| FaultSpec::default_code(status))),
        (None, Some(_)) => return Err(ApiError::invalid("Code", "needs a Status")),
        (None, None) => None,
    };
    if status.is_none() && delay_ms.is_none() {
        return Err(ApiError::invalid("Status", "or DelayMs is required"));
    }
    if status.is_none() && delay_ms == Some(0) {
        return Err(ApiError::invalid("DelayMs", "must be above 0 for a fault without a Status"));
    }
    Ok(FaultSpec { status, code, count, method, path, delay_ms: delay_ms.unwrap_or(0) })
}

#[cfg(test)]
mod tests {
    use super::parse_spec;
    use crate::domain::FaultMethod;
    use crate::form::Params;

    fn spec(raw: &str) -> Result<crate::domain::FaultSpec, String> {
        parse_spec(&Params::parse(raw.as_bytes()).unwrap()).map_err(|e| e.to_string())
    }

    #[test]
    fn defaults_and_codes_follow_the_status() {
        let fault = spec("Status=429").unwrap();
        assert_eq!((fault.code, fault.count, fault.method, fault.delay_ms), (Some(20429), 1, None, 0));
        assert_eq!(spec("Status=502").unwrap().code, Some(20500));
        assert_eq!(spec("Status=504").unwrap().code, Some(20503));
        let fault = spec("Status=503&Code=30001&Count=7&Method=POST&Path=/2010-04-01/Accounts&DelayMs=250").unwrap();
        assert_eq!((fault.code, fault.count, fault.method), (Some(30001), 7, Some(FaultMethod::Post)));
        assert_eq!((fault.path.as_deref(), fault.delay_ms), (Some("/2010-04-01/Accounts"), 250));
        let slow = spec("DelayMs=100").unwrap();
        assert_eq!((slow.status, slow.code, slow.delay_ms), (None, None, 100));
    }

    #[test]
    fn anything_invalid_is_refused() {
        for raw in [
            "",
            "Count=2",
            "Status=404",
            "Status=4290",
            "Status=+429",
            "Status=",
            "Status=429&Status=429",
            "Status=429&Code=0",
            "Status=429&Code=100000",
            "Code=20429&DelayMs=5",
            "Status=429&Count=0",
            "Status=429&Count=10001",
            "Status=429&Method=PUT",
            "Status=429&Method=get",
            "Status=429&Path=/Accounts",
            "Status=429&Path=",
            "DelayMs=30001",
            "DelayMs=-1",
            "DelayMs=0",
            "Status=429&DelayMs=1.5",
        ] {
            assert!(spec(raw).is_err(), "{raw:?} must be refused");
        }
    }
}
