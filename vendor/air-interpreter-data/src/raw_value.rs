/*
 * Copyright 2023 Fluence Labs Limited
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

use crate::JValue;

use serde::Deserialize;
use serde::Serialize;

use std::cell::RefCell;

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(transparent)]
#[derive(::rkyv::Archive, ::rkyv::Serialize, ::rkyv::Deserialize)]
#[archive(check_bytes)]
pub struct RawValue {
    raw: Box<str>,

    #[serde(skip)]
    #[with(::rkyv::with::Skip)]
    parsed: RefCell<Option<JValue>>,
}

impl RawValue {
    pub fn from_value(value: impl Into<JValue>) -> Self {
        let value = value.into();
        let raw = value.to_string().into();
        Self {
            raw,
            parsed: Some(value).into(),
        }
    }

    /// The value; panics if the raw text is not JSON that `serde_json` can parse.
    ///
    /// fluence-client (PATCHES.md): the raw text of a received value is whatever the
    /// sender put there (the CID check only proves it hashes right), and JSON nested more
    /// than 127 levels deep, which AquaVM itself can produce, does not parse. Use
    /// [`RawValue::try_get_value`].
    pub fn get_value(&self) -> JValue {
        self.try_get_value().expect("TODO handle error")
    }

    /// The value, or why its raw text does not parse (added by fluence-client, PATCHES.md).
    pub fn try_get_value(&self) -> Result<JValue, serde_json::Error> {
        let mut parsed_guard = self.parsed.borrow_mut();
        if let Some(parsed_value) = &*parsed_guard {
            return Ok(parsed_value.clone());
        }
        let parsed_value: JValue = serde_json::from_str(&self.raw)?;
        *parsed_guard = Some(parsed_value.clone());
        Ok(parsed_value)
    }

    pub(crate) fn as_inner(&self) -> &str {
        &self.raw
    }
}

impl From<JValue> for RawValue {
    fn from(value: JValue) -> Self {
        Self::from_value(value)
    }
}

impl PartialEq for RawValue {
    fn eq(&self, other: &Self) -> bool {
        // fluence-client (PATCHES.md): raw texts that do not parse compare as texts.
        match (self.try_get_value(), other.try_get_value()) {
            (Ok(a), Ok(b)) => a == b,
            _ => self.raw == other.raw,
        }
    }
}

// TODO is it implemented for JValue?
impl Eq for RawValue {}
