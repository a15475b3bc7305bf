/*
 * Copyright 2020 Fluence Labs Limited
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

mod budget;
mod cid_state;
mod context;
mod instruction_error;
mod scalar_variables;
mod stream_maps_variables;
mod streams_variables;

pub use instruction_error::*;

pub(crate) use budget::BudgetMeter;
pub use budget::ExecutionBudget;
pub use budget::MAX_VALUE_DEPTH;
pub use cid_state::ExecutionCidState;
pub(crate) use cid_state::ResolvedServiceInfo;
pub(crate) use context::*;
pub(crate) use scalar_variables::*;
pub(crate) use stream_maps_variables::*;
pub(crate) use streams_variables::*;
