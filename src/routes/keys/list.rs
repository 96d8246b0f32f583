//! GET /2010-04-01/Accounts/{AccountSid}/Keys{ext}: every key of the account, paged without totals.
use crate::domain::KeyKind;
use crate::error::ApiError;
use crate::representation::key::KeyView;
use crate::representation::list::{self, Envelope, ListSpec};
use crate::representation::API_PREFIX;
use crate::routes::call::Call;
use crate::routes::paging::page_request;
use crate::routes::paths::KeysPath;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;

#[tracing::instrument(name = "list keys", level = "debug", skip_all)]
pub async fn handle(call: Call<KeysPath>) -> Result<HttpResponse, ApiError> {
    let request = page_request::<KeyKind>(&call.query()?)?;
    let account = &call.target()?.sid;
    let page = call.state.store.list_keys(account, &request.window()).await?;
    // Modern Twilio lists carry no totals; whether a next page exists is seen by looking one row ahead.
    let spec = ListSpec {
        key: "keys",
        xml_root: "Keys",
        path: format!("{API_PREFIX}/Accounts/{account}/Keys"),
        filters: Vec::new(),
        total: None,
    };
    let envelope = Envelope::new(&spec, &request, &page, |key| &key.sid, call.format);
    let items: Vec<KeyView<'_>> = page.items.iter().map(KeyView::new).collect();
    Ok(call.respond(StatusCode::OK, list::render(&spec, &envelope, &items, call.format)))
}
