/*
 * Copyright 2026 fluence-client contributors
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

//! fluence-client: memos of the Ed25519 work AquaVM repeats on every run.
//!
//! One round trip of a particle costs a peer several runs, and each run derived the public
//! key from the secret again, decoded (decompressed) every public key of the previous and the
//! current data again to check it and to name its peer, signed this peer's CIDs again (to the
//! same signature when they had not changed: Ed25519 signatures are deterministic) and
//! verified the signatures of the current data again, this peer's own among them. Each memo
//! keeps the result of a pure function of its key, so a hit returns exactly what the work
//! would have returned:
//! - key pairs by their secret key and format;
//! - peer IDs of public keys (successes only), by the key's bytes;
//! - signatures, by the signer's public key and the signed bytes;
//! - verified signatures (successes only), by a BLAKE3 digest of the key, the signature and
//!   the signed bytes. A signature this peer made counts as verified: it is one.
//!
//! Each memo is per thread and bounded ([`CAPACITY`] entries; the oldest goes first), and
//! keyed by a BLAKE3 digest (of the secret key too: no memo holds a secret key as its key).

use std::cell::RefCell;
use std::thread::LocalKey;

/// Entries each memo keeps.
pub(crate) const CAPACITY: usize = 256;

/// A bounded map from digests that forgets its oldest entry first. A list scanned in order:
/// at this size as fast as a hash map next to the curve arithmetic it saves, and smaller in
/// the Wasm.
pub(crate) struct Memo<V> {
    entries: Vec<([u8; 32], V)>,
    /// Where the next entry goes once the list is full (its oldest).
    next: usize,
}

impl<V: Clone> Memo<V> {
    const fn new() -> Self {
        Self {
            entries: Vec::new(),
            next: 0,
        }
    }

    pub(crate) fn get(&self, key: &[u8; 32]) -> Option<V> {
        self.entries
            .iter()
            .find(|(known, _)| known == key)
            .map(|(_, value)| value.clone())
    }

    pub(crate) fn insert(&mut self, key: [u8; 32], value: V) {
        if let Some(entry) = self.entries.iter_mut().find(|(known, _)| *known == key) {
            entry.1 = value;
        } else if self.entries.len() < CAPACITY {
            self.entries.push((key, value));
        } else {
            self.entries[self.next] = (key, value);
            self.next = (self.next + 1) % CAPACITY;
        }
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }
}

thread_local! {
    /// Key pairs by the digest of their secret key and format.
    pub(crate) static KEY_PAIRS: RefCell<Memo<fluence_keypair::KeyPair>> =
        const { RefCell::new(Memo::new()) };
    /// Peer IDs and formats of public keys, by the digest of the key's bytes.
    pub(crate) static PEER_IDS: RefCell<Memo<(String, fluence_keypair::KeyFormat)>> =
        const { RefCell::new(Memo::new()) };
    /// Signatures by [`signing_key`].
    pub(crate) static SIGNATURES: RefCell<Memo<fluence_keypair::Signature>> =
        const { RefCell::new(Memo::new()) };
    /// Verified signatures by [`verified_key`].
    pub(crate) static VERIFIED: RefCell<Memo<()>> = const { RefCell::new(Memo::new()) };
}

/// What `work` returns, remembered in `memo` under `key`: `work` runs only when `memo` has
/// nothing there, and a failure is not remembered.
pub(crate) fn remembered<V: Clone, E>(
    memo: &'static LocalKey<RefCell<Memo<V>>>,
    key: [u8; 32],
    work: impl FnOnce() -> Result<V, E>,
) -> Result<V, E> {
    if let Some(known) = memo.with(|memo| memo.borrow().get(&key)) {
        return Ok(known);
    }
    let value = work()?;
    memo.with(|memo| memo.borrow_mut().insert(key, value.clone()));
    Ok(value)
}

/// A digest of the parts, each prefixed by its length so no two lists of parts collide.
pub(crate) fn digest(parts: &[&[u8]]) -> [u8; 32] {
    let mut hasher = blake3::Hasher::new();
    for part in parts {
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    *hasher.finalize().as_bytes()
}

/// The key of a key pair in [`KEY_PAIRS`].
pub(crate) fn key_pair_key(secret_key: &[u8], key_format: u8) -> [u8; 32] {
    digest(&[b"key pair", secret_key, &[key_format]])
}

/// The key of a public key in [`PEER_IDS`].
pub(crate) fn peer_id_key(public_key: &[u8]) -> [u8; 32] {
    digest(&[b"peer id", public_key])
}

/// The key of a signature of `message` by `public_key` in [`SIGNATURES`].
pub(crate) fn signing_key(public_key: &[u8], message: &[u8]) -> [u8; 32] {
    digest(&[b"sign", public_key, message])
}

/// The key of `signature` over `message` by `public_key` in [`VERIFIED`].
pub(crate) fn verified_key(public_key: &[u8], signature: &[u8], message: &[u8]) -> [u8; 32] {
    digest(&[b"verified", public_key, signature, message])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memo_forgets_the_oldest_past_capacity() {
        let key = |i: usize| digest(&[&i.to_le_bytes()]);
        let mut memo = Memo::new();
        for i in 0..CAPACITY + 10 {
            memo.insert(key(i), i * 2);
        }
        assert_eq!(memo.len(), CAPACITY);
        assert_eq!(memo.get(&key(9)), None);
        assert_eq!(memo.get(&key(10)), Some(20));
        assert_eq!(memo.get(&key(CAPACITY + 9)), Some(2 * (CAPACITY + 9)));
        // Inserting a present key again replaces its value; nothing else is forgotten.
        memo.insert(key(10), 0);
        assert_eq!(memo.len(), CAPACITY);
        assert_eq!(memo.get(&key(10)), Some(0));
        assert_eq!(memo.get(&key(11)), Some(22));
    }

    use crate::{sign_cids, KeyPair, PublicKey, Signature};
    use std::rc::Rc;

    fn cids(names: &[&str]) -> Vec<Rc<str>> {
        names.iter().map(|name| Rc::from(*name)).collect()
    }

    #[test]
    fn memoized_work_returns_what_the_work_returns() {
        let secret = vec![7u8; 32];
        let pair = KeyPair::from_secret_key(secret.clone(), crate::KeyFormat::Ed25519).unwrap();
        let again = KeyPair::from_secret_key(secret, crate::KeyFormat::Ed25519).unwrap();
        assert_eq!(pair.public(), again.public());
        let other = KeyPair::from_secret_key(vec![8u8; 32], crate::KeyFormat::Ed25519).unwrap();
        assert_ne!(pair.public(), other.public());

        // The memoized signature is the one the key makes, byte for byte.
        let signed = sign_cids(cids(&["b", "a"]), "salt", pair.as_inner()).unwrap();
        let memoized = sign_cids(cids(&["a", "b"]), "salt", pair.as_inner()).unwrap();
        assert_eq!(signed, memoized);
        let mut sorted = cids(&["a", "b"]);
        sorted.sort_unstable();
        let fresh = pair
            .as_inner()
            .sign(&crate::SaltedData::new(&sorted, "salt").serialize())
            .unwrap();
        assert_eq!(signed, fresh);
        let other_salt = sign_cids(cids(&["a", "b"]), "pepper", pair.as_inner()).unwrap();
        assert_ne!(signed, other_salt);

        // Its own signature verifies; a changed signature, salt, value or key still fails
        // after the memo has a success for the genuine one.
        let public = pair.public();
        let signature = Signature::from(signed);
        assert!(public.verify(&sorted, "salt", &signature).is_ok());
        assert!(public.verify(&sorted, "pepper", &signature).is_err());
        assert!(public.verify(&cids(&["a"]), "salt", &signature).is_err());
        assert!(other.public().verify(&sorted, "salt", &signature).is_err());
        let mut bytes = signature.0.to_vec();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        let tampered = Signature(bytes.into());
        assert!(public.verify(&sorted, "salt", &tampered).is_err());
        assert!(public.verify(&sorted, "salt", &tampered).is_err());
    }

    #[test]
    fn peer_ids_are_memoized_only_for_keys_that_decode() {
        let pair = KeyPair::from_secret_key(vec![9u8; 32], crate::KeyFormat::Ed25519).unwrap();
        let public = pair.public();
        let expected = pair.as_inner().public().to_peer_id().to_string();
        assert_eq!(public.to_peer_id().unwrap(), expected);
        assert_eq!(public.to_peer_id().unwrap(), expected);
        assert!(public.validate().is_ok());

        let garbage = PublicKey(vec![0u8, 1, 2, 3].into());
        assert!(garbage.to_peer_id().is_err());
        assert!(garbage.validate().is_err());
        assert!(garbage.to_peer_id().is_err());
    }

    #[test]
    fn digest_separates_parts() {
        assert_ne!(digest(&[b"ab", b"c"]), digest(&[b"a", b"bc"]));
        assert_ne!(signing_key(b"k", b"m"), verified_key(b"k", b"", b"m"));
    }
}
