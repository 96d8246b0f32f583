//! An account's balance as `<Balance>` or as a JSON object.
use super::xml::XmlDoc;
use super::Representation;
use crate::domain::{AccountSid, Currency, Money};
use serde::Serialize;

pub struct BalanceView<'a> {
    pub account: &'a AccountSid,
    pub balance: Money,
    pub currency: Currency,
}

#[derive(Serialize)]
pub struct JsonBalance<'a> {
    account_sid: &'a str,
    balance: String,
    currency: &'a str,
}

impl Representation for BalanceView<'_> {
    type Json<'j>
        = JsonBalance<'j>
    where
        Self: 'j;

    fn write_xml(&self, doc: &mut XmlDoc) {
        doc.open("Balance");
        doc.element("AccountSid", self.account.as_str());
        doc.element("Balance", &self.balance.to_string());
        doc.element("Currency", self.currency.as_str());
        doc.close("Balance");
    }

    fn to_json(&self) -> JsonBalance<'_> {
        JsonBalance {
            account_sid: self.account.as_str(),
            balance: self.balance.to_string(),
            currency: self.currency.as_str(),
        }
    }
}
