//! GET /2010-04-01/Accounts{ext}: the caller and its subaccounts, filtered and paged.
use crate::domain::{AccountSid, AccountStatus, FriendlyName, PageCursor, PageRequest};
use crate::error::{ApiError, Rejection};
use crate::form::Params;
use crate::representation::list::{self, Envelope};
use crate::representation::Format;
use crate::routes::{respond, AppState};
use crate::storage::{Guard, ListQuery, ListScope, StoreError, Window};
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};

#[tracing::instrument(name = "list accounts", level = "debug", skip_all)]
pub async fn handle(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, Rejection> {
    let format = Format::of_path(req.path());
    let request = Params::parse(req.query_string().as_bytes()).and_then(|params| parse_page_request(&params));
    let header = req.headers().get(header::AUTHORIZATION);
    // A credential verified before is checked inside the count query: two round trips in all.
    if let (Some(guard), Ok(request)) = (state.auth.guard(header), &request) {
        match page(&state, request, &guard.caller, guard.is_main, Some(&guard), format).await {
            Err(ApiError::Unauthenticated) => {}
            answer => return answer.map_err(|e| e.at(format)),
        }
    }
    let auth = state.auth.authenticate(header, None).await.map_err(|e| e.at(format))?;
    let request = request.map_err(|e| e.at(format))?;
    page(&state, &request, &auth.caller.sid, auth.caller.is_main(), None, format).await.map_err(|e| e.at(format))
}

async fn page(
    state: &AppState,
    request: &PageRequest,
    caller: &AccountSid,
    is_main: bool,
    guard: Option<&Guard>,
    format: Format,
) -> Result<HttpResponse, ApiError> {
    let scope = if is_main { ListScope::Tenant(caller.clone()) } else { ListScope::Single(caller.clone()) };
    let limit = request.page_size;
    let window = match &request.cursor {
        None => Window::Offset { offset: request.offset(), limit },
        Some(PageCursor::After(sid)) => Window::After { sid: sid.clone(), limit },
        Some(PageCursor::Before(sid)) => Window::Before { sid: sid.clone(), limit },
    };
    let query = ListQuery { scope, friendly_name: request.friendly_name.clone(), status: request.status, window };
    let slice = match state.store.list(&query, guard).await {
        Ok(slice) => slice,
        Err(StoreError::Denied) => return Err(ApiError::Unauthenticated),
        Err(StoreError::UnknownCursor) => return Err(ApiError::InvalidPageToken),
        Err(other) => return Err(ApiError::from_store(other)),
    };
    let envelope = Envelope::new(request, &slice, format);
    Ok(respond(StatusCode::OK, format, list::render(&envelope, &slice.accounts, format)))
}

/// Filters and paging parameters; anything unusable is 20001, a bad PageToken 21481.
fn parse_page_request(params: &Params) -> Result<PageRequest, ApiError> {
    let mut request = PageRequest::default();
    if let Some(raw) = params.single("FriendlyName")? {
        request.friendly_name = Some(FriendlyName::parse(raw).map_err(|why| ApiError::invalid("FriendlyName", why))?);
    }
    if let Some(raw) = params.single("Status")? {
        let status = AccountStatus::parse(raw);
        request.status =
            Some(status.ok_or_else(|| ApiError::invalid("Status", "must be active, suspended or closed"))?);
    }
    if let Some(raw) = params.single("Page")? {
        request.page = PageRequest::parse_number(raw)
            .ok_or_else(|| ApiError::invalid("Page", "must be an integer of 0 or more"))?;
        request.page_given = true;
    }
    if let Some(raw) = params.single("PageSize")? {
        request.page_size = PageRequest::parse_page_size(raw)
            .ok_or_else(|| ApiError::invalid("PageSize", "must be an integer from 1 to 1000"))?;
        request.page_size_given = true;
    }
    if let Some(raw) = params.single("PageToken")? {
        request.cursor = Some(PageCursor::parse(raw).map_err(|_| ApiError::InvalidPageToken)?);
    }
    Ok(request)
}
