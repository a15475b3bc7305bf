/*
 * Copyright 2021 Fluence Labs Limited
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

/// This consts are used as start ids of corresponding errors.
pub(crate) const PREPARATION_ERROR_START_ID: i64 = 1;
pub(crate) const CATCHABLE_ERRORS_START_ID: i64 = 10000;
pub(crate) const UNCATCHABLE_ERRORS_START_ID: i64 = 20000;
pub(crate) const FAREWELL_ERRORS_START_ID: i64 = 30000;
