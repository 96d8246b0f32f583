//! GET /2010-04-01/Accounts{ext}: the caller and its subaccounts, filtered and paged.
use crate::domain::{AccountKind, AccountStatus, FriendlyName};
use crate::error::ApiError;
use crate::form::Params;
use crate::representation::account::AccountView;
use crate::representation::list::{self, Envelope, ListSpec};
use crate::representation::API_PREFIX;
use crate::routes::call::Call;
use crate::routes::paging::page_request;
use crate::routes::paths::AccountsPath;
use crate::storage::{AccountFilters, AccountScope};
use actix_web::http::StatusCode;
use actix_web::HttpResponse;

#[tracing::instrument(name = "list accounts", level = "debug", skip_all)]
pub async fn handle(call: Call<AccountsPath>) -> Result<HttpResponse, ApiError> {
    let params = call.query()?;
    let filters = parse_filters(&params)?;
    let request = page_request::<AccountKind>(&params)?;
    let credential = &call.caller.credential;
    let scope = match credential.is_main() {
        true => AccountScope::Tenant(credential.account.clone()),
        false => AccountScope::Single(credential.account.clone()),
    };
    let (page, total) = call.state.store.list_accounts(&scope, &filters, &request.window()).await?;
    let spec = ListSpec {
        key: "accounts",
        xml_root: "Accounts",
        path: format!("{API_PREFIX}/Accounts"),
        filters: filter_pairs(&filters),
        total: Some(total),
    };
    let envelope = Envelope::new(&spec, &request, &page, |account| &account.sid, call.format);
    let items: Vec<AccountView<'_>> = page.items.iter().map(AccountView::redacted).collect();
    Ok(call.respond(StatusCode::OK, list::render(&spec, &envelope, &items, call.format)))
}

/// FriendlyName and Status, each refused with 20001 when unusable.
fn parse_filters(params: &Params) -> Result<AccountFilters, ApiError> {
    let friendly_name = params
        .single("FriendlyName")?
        .map(|raw| FriendlyName::parse(raw).map_err(|why| ApiError::invalid("FriendlyName", why)))
        .transpose()?;
    let status = params
        .single("Status")?
        .map(|raw| {
            AccountStatus::parse(raw).ok_or_else(|| ApiError::invalid("Status", "must be active, suspended or closed"))
        })
        .transpose()?;
    Ok(AccountFilters { friendly_name, status })
}

fn filter_pairs(filters: &AccountFilters) -> Vec<(&'static str, String)> {
    let mut pairs = Vec::new();
    if let Some(name) = &filters.friendly_name {
        pairs.push(("FriendlyName", name.as_str().to_owned()));
    }
    if let Some(status) = filters.status {
        pairs.push(("Status", status.as_str().to_owned()));
    }
    pairs
}
