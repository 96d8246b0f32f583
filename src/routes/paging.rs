//! Page, PageSize and PageToken of a list request, read from its query in Twilio's order.
use crate::domain::{PageCursor, PageRequest, SidKind};
use crate::error::ApiError;
use crate::form::Params;

/// 20001 for an unusable number, 21481 for a token that does not parse.
pub fn page_request<K: SidKind>(params: &Params) -> Result<PageRequest<K>, ApiError> {
    let mut request = PageRequest::default();
    if let Some(raw) = params.single("Page")? {
        let page = PageRequest::<K>::parse_number(raw)
            .ok_or_else(|| ApiError::invalid("Page", "must be an integer of 0 or more"))?;
        request.page = page;
        request.page_given = Some(page);
    }
    if let Some(raw) = params.single("PageSize")? {
        request.page_size = PageRequest::<K>::parse_page_size(raw)
            .ok_or_else(|| ApiError::invalid("PageSize", "must be an integer of 1 or more"))?;
        request.page_size_given = Some(raw.trim_start_matches('0').to_owned());
    }
    if let Some(raw) = params.single("PageToken")? {
        request.cursor = Some(PageCursor::parse(raw).map_err(|_| ApiError::InvalidPageToken)?);
    }
    Ok(request)
}

#[cfg(test)]
mod tests {
    use super::page_request;
    use crate::domain::AccountKind;
    use crate::form::Params;

    #[test]
    fn a_large_page_size_is_served_as_1000_and_echoed_as_given() {
        let request = page_request::<AccountKind>(&Params::parse(b"PageSize=02000&Page=3").unwrap()).unwrap();
        assert_eq!(request.page_size, 1000);
        assert_eq!((request.page_size_given.as_deref(), request.page_given), (Some("2000"), Some(3)));
        assert_eq!(request.offset(), 3000);
    }
}
