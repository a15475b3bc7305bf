/*
 * Added by fluence-client to its vendored copy of aquavm-air 0.63.0 (see PATCHES.md).
 * Licensed under the Apache License, Version 2.0, as the rest of this crate.
 */

//! A per-run execution budget.
//!
//! Unpatched, one run of the interpreter is bounded only by the AIR it is given: nested
//! folds over 1,024-element streams execute ~10^12 instructions, and a fold that appends
//! a stream's canon to the stream itself doubles the size of every new value, so one
//! particle of a few hundred bytes can make a peer run or allocate without bound, and the
//! interpreter's recursion (once per nested instruction, once per `next` of a fold) can
//! overflow the stack. The meter below counts instructions executed, bytes of JSON values
//! serialized and how deep instructions and values nest during one run; past a limit the
//! run stops with an uncatchable error ([`UncatchableError::ExecutionBudgetExceeded`],
//! `ExecutionTooDeep`, `ValueTooDeep`), which, like every uncatchable error, leaves the
//! previous data untouched. The charge is taken before the work it stands for, so the
//! work done by a run is bounded by the limits, whatever the AIR.

use crate::execution_step::UncatchableError;

use air_interpreter_value::JValue;

/// What tracking one canon element serializes besides its value: its tetraplet (~110
/// bytes of JSON with a 52-character peer id) and its CID aggregate (three CIDs, ~200
/// bytes), each hashed into a CID string.
pub(crate) const CANON_ELEMENT_OVERHEAD: u64 = 384;

/// The deepest nesting of arrays and objects a value may have: `serde_json`, which parses
/// every value a peer receives, refuses a 128th level.
pub const MAX_VALUE_DEPTH: usize = 127;

/// The most one run of the interpreter may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExecutionBudget {
    /// Most instructions executed (each `seq`, `call`, `next`, ... met counts one).
    pub max_steps: u64,
    /// Most bytes of JSON values serialized (canon elements, call arguments and results,
    /// each counted every time it is serialized or hashed).
    pub max_value_bytes: u64,
    /// Deepest nesting of values serialized (arrays and objects inside one another).
    pub max_value_depth: usize,
    /// Deepest nesting of instructions executing inside one another: the interpreter
    /// recurses once per level (and once per `next` of a fold), so this bounds its stack.
    pub max_depth: usize,
}

impl ExecutionBudget {
    /// No limit: the behaviour of unpatched aquavm-air.
    pub const UNLIMITED: ExecutionBudget = ExecutionBudget {
        max_steps: u64::MAX,
        max_value_bytes: u64::MAX,
        max_value_depth: usize::MAX,
        max_depth: usize::MAX,
    };
}

impl Default for ExecutionBudget {
    fn default() -> Self {
        Self::UNLIMITED
    }
}

/// What is left of a run's [`ExecutionBudget`].
#[derive(Debug, Clone)]
pub(crate) struct BudgetMeter {
    limits: ExecutionBudget,
    steps_left: u64,
    value_bytes_left: u64,
    depth: usize,
}

impl BudgetMeter {
    pub(crate) fn new(limits: ExecutionBudget) -> Self {
        Self {
            limits,
            steps_left: limits.max_steps,
            value_bytes_left: limits.max_value_bytes,
            depth: 0,
        }
    }

    /// Charges one instruction about to execute inside the ones executing now; each
    /// successful `enter` is followed by one [`BudgetMeter::leave`] when it is done.
    pub(crate) fn enter(&mut self) -> Result<(), UncatchableError> {
        if self.steps_left == 0 {
            return Err(UncatchableError::ExecutionBudgetExceeded {
                what: "instructions",
                limit: self.limits.max_steps,
            });
        }
        if self.depth >= self.limits.max_depth {
            return Err(UncatchableError::ExecutionTooDeep {
                limit: self.limits.max_depth,
            });
        }
        self.steps_left -= 1;
        self.depth += 1;
        Ok(())
    }

    /// The instruction entered last is done.
    pub(crate) fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Charges the serialized size of `value` (its JSON text, approximately: never less
    /// than one byte per node). Stops walking the value as soon as the budget is spent,
    /// so the walk itself costs at most what is left.
    ///
    /// Also refuses a value nested deeper than `max_value_depth` ([`MAX_VALUE_DEPTH`] is
    /// the most any peer can parse back): every recursive walk of a value (serializing,
    /// comparing, dropping) uses stack in proportion, and a run could build one deep
    /// enough to overflow the stack.
    pub(crate) fn charge_value(&mut self, value: &JValue) -> Result<(), UncatchableError> {
        let mut stack = vec![(value, 0)];
        while let Some((value, depth)) = stack.pop() {
            let size = match value {
                JValue::Null => 4,
                JValue::Bool(_) => 5,
                JValue::Number(_) => 8,
                JValue::String(s) => s.len() as u64 + 2,
                JValue::Array(_) | JValue::Object(_) if depth >= self.limits.max_value_depth => {
                    return Err(UncatchableError::ValueTooDeep {
                        limit: self.limits.max_value_depth,
                    });
                }
                // A container is charged before its items are queued, so the queue never
                // holds more items than the budget has bytes.
                JValue::Array(items) => {
                    self.charge_bytes(items.len() as u64 + 2)?;
                    stack.extend(items.iter().map(|item| (item, depth + 1)));
                    0
                }
                JValue::Object(map) => {
                    let keys = map.keys().map(|key| key.len() as u64 + 4).sum::<u64>();
                    self.charge_bytes(keys + 2)?;
                    stack.extend(map.values().map(|item| (item, depth + 1)));
                    0
                }
            };
            self.charge_bytes(size)?;
        }
        Ok(())
    }

    /// Charges one element of a new canon stream: its value, and the bytes of its tetraplet
    /// and of its CID aggregate, which are serialized and hashed with it
    /// ([`CANON_ELEMENT_OVERHEAD`]).
    pub(crate) fn charge_canon_element(&mut self, value: &JValue) -> Result<(), UncatchableError> {
        self.charge_bytes(CANON_ELEMENT_OVERHEAD)?;
        self.charge_value(value)
    }

    /// Charges the serialized size of every value of `values`.
    pub(crate) fn charge_values<'v>(
        &mut self,
        values: impl IntoIterator<Item = &'v JValue>,
    ) -> Result<(), UncatchableError> {
        values.into_iter().try_for_each(|value| self.charge_value(value))
    }

    fn charge_bytes(&mut self, bytes: u64) -> Result<(), UncatchableError> {
        match self.value_bytes_left.checked_sub(bytes) {
            Some(left) => {
                self.value_bytes_left = left;
                Ok(())
            }
            None => {
                self.value_bytes_left = 0;
                Err(UncatchableError::ExecutionBudgetExceeded {
                    what: "bytes of values serialized",
                    limit: self.limits.max_value_bytes,
                })
            }
        }
    }
}
