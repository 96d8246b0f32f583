//! The request journal: read it (`GET /requests`, newest first, filtered, paged) or clear it.
use super::{json, ControlPath};
use crate::domain::{AccountSid, JournalCursor, JournalFilter, KeySid, StatusFilter, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use crate::error::ApiError;
use crate::form::Params;
use crate::representation::control::{Request, Requests};
use crate::representation::CONTROL_API_PREFIX;
use crate::routes::call::Call;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;

#[tracing::instrument(name = "read journal", level = "debug", skip_all)]
pub async fn read(call: Call<ControlPath>) -> Result<HttpResponse, ApiError> {
    let params = call.query()?;
    let (filter, cursor, size) = parse_query(&params)?;
    let (state, tenant) = (&call.state, &call.caller.credential.tenant);
    let page = state.store.requests(tenant, &filter, cursor, size, state.journal.keep()).await?;
    let next_page_uri = page.next.map(|next| next_uri(&filter, size, next));
    let requests = page.entries.iter().map(Request::new).collect();
    Ok(json(StatusCode::OK, &Requests { requests, next_page_uri }))
}

#[tracing::instrument(name = "clear journal", level = "debug", skip_all)]
pub async fn clear(call: Call<ControlPath>) -> Result<HttpResponse, ApiError> {
    call.state.store.clear_requests(&call.caller.credential.tenant).await?;
    Ok(HttpResponse::NoContent().finish())
}

fn parse_query(params: &Params) -> Result<(JournalFilter, Option<JournalCursor>, u32), ApiError> {
    let size = match params.single("PageSize")? {
        None => DEFAULT_PAGE_SIZE,
        Some(raw) => crate::domain::PageRequest::<crate::domain::AccountKind>::parse_page_size(raw)
            .ok_or_else(|| ApiError::invalid("PageSize", "must be an integer of 1 or more"))?,
    };
    let cursor = params
        .single("PageToken")?
        .map(|raw| {
            JournalCursor::parse(raw).ok_or_else(|| ApiError::invalid("PageToken", "is not a page of this journal"))
        })
        .transpose()?;
    let status = params
        .single("Status")?
        .map(|raw| {
            StatusFilter::parse(raw)
                .ok_or_else(|| ApiError::invalid("Status", "must be a status such as 200 or a class such as 4xx"))
        })
        .transpose()?;
    let method = params
        .single("Method")?
        .map(|raw| {
            let token = !raw.is_empty() && raw.len() <= 16 && raw.bytes().all(|b| b.is_ascii_uppercase());
            token
                .then(|| raw.to_owned())
                .ok_or_else(|| ApiError::invalid("Method", "must be an HTTP method such as GET"))
        })
        .transpose()?;
    let credential = params
        .single("Credential")?
        .map(|raw| {
            let sid = AccountSid::parse(raw).is_some() || KeySid::parse(raw).is_some();
            sid.then(|| raw.to_owned()).ok_or_else(|| ApiError::invalid("Credential", "must be an AC or SK SID"))
        })
        .transpose()?;
    debug_assert!(size <= MAX_PAGE_SIZE);
    Ok((JournalFilter { status, method, credential }, cursor, size))
}

/// The same filters, the page size served, and where the next page starts.
fn next_uri(filter: &JournalFilter, size: u32, next: JournalCursor) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    if let Some(status) = filter.status {
        query.append_pair("Status", &status.to_string());
    }
    if let Some(method) = &filter.method {
        query.append_pair("Method", method);
    }
    if let Some(credential) = &filter.credential {
        query.append_pair("Credential", credential);
    }
    query.append_pair("PageSize", &size.to_string());
    query.append_pair("PageToken", &next.token());
    format!("{CONTROL_API_PREFIX}requests?{}", query.finish())
}
