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

use rkyv::de::deserializers::SharedDeserializeMap;
use rkyv::de::deserializers::SharedDeserializeMapError;
use rkyv::ser::serializers::AlignedSerializer;
use rkyv::ser::serializers::AllocScratch;
use rkyv::ser::serializers::AllocScratchError;
use rkyv::ser::serializers::CompositeSerializer;
use rkyv::ser::serializers::CompositeSerializerError;
use rkyv::ser::serializers::FallbackScratch;
use rkyv::ser::serializers::HeapScratch;
use rkyv::ser::serializers::SharedSerializeMap;
use rkyv::ser::serializers::SharedSerializeMapError;
use rkyv::ser::serializers::WriteSerializer;
use rkyv::ser::Serializer;
use rkyv::validation::validators::ArchiveError;
use rkyv::validation::validators::ArchiveValidator;
use rkyv::validation::ArchiveContext;
use rkyv::validation::SharedContext;
use rkyv::AlignedVec;
use rkyv::Fallible;

use std::alloc::Layout;
use std::alloc::LayoutError;
use std::any::TypeId;
use std::collections::hash_map::Entry;
use std::collections::HashMap;

const DEFAULT_VALIDATION_CAPACITY: usize = 1024;
const DEFAULT_DESERIALIZE_CAPACITY: usize = 1024;

#[derive(Debug, thiserror::Error)]
pub enum RkyvDeserializeError {
    #[error(transparent)]
    // rkyv validation types is tricky and involves lifetime, though final type is 'static
    Validation(Box<dyn std::error::Error>),

    #[error(transparent)]
    Deserialize(SharedDeserializeMapError),
}

pub type RkyvSerializeError =
    CompositeSerializerError<std::convert::Infallible, AllocScratchError, SharedSerializeMapError>;

pub(crate) fn to_vec<Value>(value: &Value) -> Result<Vec<u8>, RkyvSerializeError>
where
    Value: rkyv::Serialize<
        CompositeSerializer<
            AlignedSerializer<AlignedVec>,
            FallbackScratch<HeapScratch<4096>, AllocScratch>,
            SharedSerializeMap,
        >,
    >,
{
    let mut ser = rkyv::ser::serializers::AllocSerializer::<4096>::default();
    ser.serialize_value(value)?;
    Ok(ser.into_serializer().into_inner().to_vec())
}

pub(crate) fn from_aligned_slice<'a, Value>(slice: &'a [u8]) -> Result<Value, RkyvDeserializeError>
where
    Value: rkyv::Archive,
    <Value as rkyv::Archive>::Archived:
        rkyv::CheckBytes<StrictValidator<'a>> + rkyv::Deserialize<Value, SharedDeserializeMap>,
{
    // fluence-client: `StrictValidator` instead of rkyv's `DefaultValidator`, see below.
    let mut validator = StrictValidator::with_capacity(slice, DEFAULT_VALIDATION_CAPACITY);
    let archived_data = rkyv::check_archived_root_with_context::<Value, _>(slice, &mut validator)
        .map_err(|e| RkyvDeserializeError::Validation(Box::new(e)))?;

    let mut shared = SharedDeserializeMap::with_capacity(DEFAULT_DESERIALIZE_CAPACITY);
    rkyv::Deserialize::<Value, _>::deserialize(archived_data, &mut shared)
        .map_err(RkyvDeserializeError::Deserialize)
}

// fluence-client: rkyv 0.7's `DefaultValidator` checks the target of a shared pointer
// (`Rc`, `Arc`) only the first time it meets its address, and its `SharedDeserializeMap`
// deserializes it once per address. A second shared pointer to the same address with a
// *longer* length (an `Rc<str>`, an `Rc<[T]>`) then passed validation unchecked, and came out
// of deserialization as an `Rc` pointing at the first one's allocation with the second one's
// length: reading it read past the allocation (a heap overflow that any peer sending data could
// cause; found by fluence-client's `avm_data` fuzz target). `StrictValidator` is
// `DefaultValidator` plus one rule: every shared pointer to an address must have the type and
// the layout (size, alignment) of the first one. Data written by rkyv's serializer always does,
// since it writes each shared value once and points at it again with the same metadata.

/// Validates an archive like rkyv's `DefaultValidator`, and also refuses two shared pointers
/// to one address whose types or layouts differ.
pub struct StrictValidator<'a> {
    archive: ArchiveValidator<'a>,
    base: usize,
    shared: HashMap<usize, (TypeId, Layout)>,
    /// The last pointer whose layout was bounds-checked: `ArchivedRc::check_bytes` checks the
    /// pointer (with its metadata) right before it registers it as shared.
    last_checked: Option<(usize, Layout)>,
}

impl<'a> StrictValidator<'a> {
    /// A validator for `bytes` with room for `capacity` shared pointers.
    pub fn with_capacity(bytes: &'a [u8], capacity: usize) -> Self {
        Self {
            archive: ArchiveValidator::new(bytes),
            base: bytes.as_ptr() as usize,
            shared: HashMap::with_capacity(capacity),
            last_checked: None,
        }
    }

    fn offset(&self, address: usize) -> usize {
        address.wrapping_sub(self.base)
    }
}

/// Why `StrictValidator` refused an archive.
#[derive(Debug, thiserror::Error)]
pub enum StrictValidatorError {
    #[error("{0}")]
    Archive(ArchiveError),

    #[error("the shared pointers to offset {offset} claim two different types")]
    SharedTypeMismatch { offset: usize },

    #[error(
        "the shared pointers to offset {offset} claim two different layouts \
         ({previous_size} bytes aligned to {previous_align}, then {size} aligned to {align})"
    )]
    SharedLayoutMismatch {
        offset: usize,
        previous_size: usize,
        previous_align: usize,
        size: usize,
        align: usize,
    },

    #[error("the shared pointer to offset {offset} was registered before its layout was checked")]
    SharedLayoutUnknown { offset: usize },
}

impl<'a> Fallible for StrictValidator<'a> {
    type Error = StrictValidatorError;
}

// Every method delegates to rkyv's `ArchiveValidator`, with the same safety contract.
#[allow(unsafe_code)]
impl<'a> ArchiveContext for StrictValidator<'a> {
    type PrefixRange = <ArchiveValidator<'a> as ArchiveContext>::PrefixRange;
    type SuffixRange = <ArchiveValidator<'a> as ArchiveContext>::SuffixRange;

    unsafe fn bounds_check_ptr(
        &mut self,
        base: *const u8,
        offset: isize,
    ) -> Result<*const u8, Self::Error> {
        self.archive
            .bounds_check_ptr(base, offset)
            .map_err(StrictValidatorError::Archive)
    }

    unsafe fn bounds_check_layout(
        &mut self,
        data_address: *const u8,
        layout: &Layout,
    ) -> Result<(), Self::Error> {
        self.last_checked = None;
        self.archive
            .bounds_check_layout(data_address, layout)
            .map_err(StrictValidatorError::Archive)?;
        self.last_checked = Some((data_address as usize, *layout));
        Ok(())
    }

    unsafe fn bounds_check_subtree_ptr_layout(
        &mut self,
        data_address: *const u8,
        layout: &Layout,
    ) -> Result<(), Self::Error> {
        self.archive
            .bounds_check_subtree_ptr_layout(data_address, layout)
            .map_err(StrictValidatorError::Archive)
    }

    unsafe fn push_prefix_subtree_range(
        &mut self,
        root: *const u8,
        end: *const u8,
    ) -> Result<Self::PrefixRange, Self::Error> {
        self.archive
            .push_prefix_subtree_range(root, end)
            .map_err(StrictValidatorError::Archive)
    }

    fn pop_prefix_range(&mut self, range: Self::PrefixRange) -> Result<(), Self::Error> {
        self.archive
            .pop_prefix_range(range)
            .map_err(StrictValidatorError::Archive)
    }

    unsafe fn push_suffix_subtree_range(
        &mut self,
        start: *const u8,
        root: *const u8,
    ) -> Result<Self::SuffixRange, Self::Error> {
        self.archive
            .push_suffix_subtree_range(start, root)
            .map_err(StrictValidatorError::Archive)
    }

    fn pop_suffix_range(&mut self, range: Self::SuffixRange) -> Result<(), Self::Error> {
        self.archive
            .pop_suffix_range(range)
            .map_err(StrictValidatorError::Archive)
    }

    fn wrap_layout_error(error: LayoutError) -> Self::Error {
        StrictValidatorError::Archive(ArchiveValidator::wrap_layout_error(error))
    }

    fn finish(&mut self) -> Result<(), Self::Error> {
        self.archive.finish().map_err(StrictValidatorError::Archive)
    }
}

impl<'a> SharedContext for StrictValidator<'a> {
    fn register_shared_ptr(
        &mut self,
        ptr: *const u8,
        type_id: TypeId,
    ) -> Result<bool, Self::Error> {
        let address = ptr as usize;
        let offset = self.offset(address);
        let layout = match self.last_checked.take() {
            Some((checked, layout)) if checked == address => layout,
            _ => return Err(StrictValidatorError::SharedLayoutUnknown { offset }),
        };
        match self.shared.entry(address) {
            Entry::Vacant(entry) => {
                entry.insert((type_id, layout));
                Ok(true)
            }
            Entry::Occupied(entry) => {
                let (previous_type, previous_layout) = *entry.get();
                if previous_type != type_id {
                    Err(StrictValidatorError::SharedTypeMismatch { offset })
                } else if previous_layout != layout {
                    Err(StrictValidatorError::SharedLayoutMismatch {
                        offset,
                        previous_size: previous_layout.size(),
                        previous_align: previous_layout.align(),
                        size: layout.size(),
                        align: layout.align(),
                    })
                } else {
                    Ok(false)
                }
            }
        }
    }
}

#[allow(dead_code)]
pub(crate) fn to_writer<'a, Value, W: std::io::Write>(
    write: &'a mut W,
    value: &Value,
) -> Result<(), std::io::Error>
where
    Value: rkyv::Serialize<WriteSerializer<&'a mut W>>,
{
    let mut ser = rkyv::ser::serializers::WriteSerializer::new(write);
    ser.serialize_value(value)?;
    Ok(())
}
