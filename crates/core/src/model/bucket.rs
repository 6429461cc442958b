//! The encoding of a bucket of stored records (the app keeps each kind in IndexedDB as 512
//! buckets of records, see the app's `store::records`).
//!
//! Written as MessagePack with each record an array of its fields in declaration order
//! (`rmp_serde::to_vec`): no field names, so a bucket of customers is about a quarter of
//! its JSON and decodes about twice as fast (200,000 demo customers natively: 43 MB and
//! 0.48 s, against 159 MB and 0.92 s as JSON; start-up reads every customer). Complaints
//! stay JSON: their events are internally tagged and skip empty fields, which a
//! positional encoding cannot carry.
//!
//! Read: either encoding, told apart by the first byte. A JSON bucket (what version 3 of
//! the database wrote) starts with `[`, which in MessagePack is a small integer and never
//! an array; a MessagePack bucket starts with an array marker. A bucket written before is
//! read as it is and written compact the next time its records change.
//!
//! Positional means the order of a record's fields is part of the stored layout: a new
//! field goes at the end of its struct, with `#[serde(default)]` (a shorter stored array
//! then gives the default); fields are never reordered or removed. The test
//! `a_stored_customer_keeps_its_layout` holds the customer's layout to a fixed encoding.

use super::RecordKind;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Whether buckets of `kind` are written compact (MessagePack arrays) or as JSON.
pub fn compact(kind: RecordKind) -> bool {
    kind != RecordKind::Complaint
}

/// Encodes the records of one bucket of `kind`.
pub fn encode<T: Serialize + ?Sized>(kind: RecordKind, records: &T) -> Result<Vec<u8>, String> {
    if compact(kind) {
        rmp_serde::to_vec(records).map_err(|e| e.to_string())
    } else {
        serde_json::to_vec(records).map_err(|e| e.to_string())
    }
}

/// Decodes a bucket written by [`encode`] in either encoding.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    match bytes.first() {
        Some(b'[') | None => serde_json::from_slice(bytes).map_err(|e| e.to_string()),
        Some(_) => rmp_serde::from_slice(bytes).map_err(|e| e.to_string()),
    }
}

/// A kind whose buckets the app reads and writes: [`decode`] and [`encode`] for its
/// records, compiled here once per kind. The core is built for speed (`opt-level = 3`)
/// and the app for size; a generic decode or encode would be compiled into the app, at
/// its level, and start-up spends most of its time decoding, a large write (a backup's
/// 100,000 customers) much of its time encoding.
pub trait Bucketed: Sized {
    /// The records of one bucket (either encoding).
    fn decode_bucket(bytes: &[u8]) -> Result<Vec<Self>, String>;
    /// The bytes of one bucket holding `records` (in this order), as [`encode`] writes them.
    fn encode_bucket(records: &[&Self]) -> Result<Vec<u8>, String>;
}

macro_rules! bucketed {
    ($($ty:ty => $kind:ident),* $(,)?) => {
        $(impl Bucketed for $ty {
            fn decode_bucket(bytes: &[u8]) -> Result<Vec<Self>, String> {
                decode(bytes)
            }
            fn encode_bucket(records: &[&Self]) -> Result<Vec<u8>, String> {
                encode(RecordKind::$kind, records)
            }
        })*
    };
}

bucketed!(
    super::Customer => Customer,
    super::Contact => Contact,
    super::Interaction => Interaction,
    super::Complaint => Complaint,
    super::Survey => Survey,
    super::SurveyResponse => SurveyResponse,
);

/// Sorts one part of a kind's (id, position) keys: the app sorts a kind's records by id
/// after reading its buckets, in parts with breaks between (see its `store::records`).
/// Here so that the comparisons are compiled at the core's speed, as [`Bucketed`].
pub fn sort_keys(part: &mut [(&str, u32)]) {
    part.sort_unstable();
}

/// Appends the merge of two sorted runs of keys (distinct keys: no question of stability).
pub fn merge_keys<'a>(a: &[(&'a str, u32)], b: &[(&'a str, u32)], out: &mut Vec<(&'a str, u32)>) {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] <= b[j] {
            out.push(a[i]);
            i += 1;
        } else {
            out.push(b[j]);
            j += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{generate, DemoParams};
    use crate::model::{Complaint, Contact, Customer, Interaction, Survey, SurveyResponse};

    fn round_trip<T: Bucketed + Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(kind: RecordKind, records: &[T]) {
        assert!(!records.is_empty(), "{kind:?}: the demo has some");
        for bucket in records.chunks(37) {
            let bytes = encode(kind, bucket).unwrap();
            assert_eq!(bytes[0] == b'[', !compact(kind), "{kind:?}: encoding");
            let back: Vec<T> = decode(&bytes).unwrap();
            assert_eq!(back, bucket, "{kind:?}");
            // The per-kind functions the app calls write and read the same bytes.
            let refs: Vec<&T> = bucket.iter().collect();
            assert_eq!(T::encode_bucket(&refs).unwrap(), bytes, "{kind:?}: encode_bucket");
            assert_eq!(T::decode_bucket(&bytes).unwrap(), bucket, "{kind:?}: decode_bucket");
            // A bucket written as JSON (database version 3) reads the same.
            let json = serde_json::to_vec(bucket).unwrap();
            assert_eq!(decode::<Vec<T>>(&json).unwrap(), bucket, "{kind:?} from JSON");
        }
    }

    /// Every kind round-trips through its bucket encoding, and JSON buckets still read:
    /// the whole demo data set (every field of every kind in use).
    #[test]
    fn every_kind_round_trips_and_json_buckets_still_read() {
        let d = generate(&DemoParams::default());
        round_trip::<Customer>(RecordKind::Customer, &d.customers);
        round_trip::<Contact>(RecordKind::Contact, &d.contacts);
        round_trip::<Interaction>(RecordKind::Interaction, &d.interactions);
        round_trip::<Complaint>(RecordKind::Complaint, &d.complaints);
        round_trip::<Survey>(RecordKind::Survey, &d.surveys);
        round_trip::<SurveyResponse>(RecordKind::SurveyResponse, &d.responses);
    }

    #[test]
    fn an_empty_bucket_reads_in_either_encoding() {
        let none: Vec<Customer> = Vec::new();
        assert_eq!(decode::<Vec<Customer>>(&encode(RecordKind::Customer, &none).unwrap()).unwrap(), none);
        assert_eq!(decode::<Vec<Customer>>(b"[]").unwrap(), none);
        assert!(decode::<Vec<Customer>>(b"").is_err(), "no bytes is not a bucket");
        assert!(decode::<Vec<Customer>>(&[0x91, 0xc1]).is_err(), "damaged bytes are refused");
    }

    /// The stored layout of a customer: this encoding was written by this version, so a
    /// later version must still read it the same (fields added at the end with defaults
    /// keep this test passing; a field moved or removed breaks it).
    #[test]
    fn a_stored_customer_keeps_its_layout() {
        let stored = hex(GOLDEN_CUSTOMER);
        let c: Vec<Customer> = decode(&stored).unwrap();
        let want: Customer = serde_json::from_str(GOLDEN_CUSTOMER_JSON).unwrap();
        assert_eq!(c, vec![want.clone()]);
        assert_eq!(encode(RecordKind::Customer, &[want]).unwrap(), stored, "the encoding changed: see the module's note");
    }

    proptest::proptest! {
        /// Sorting the keys in parts and merging neighbouring runs (as the app's read of
        /// a kind does, with any part size) gives the keys sorted.
        #[test]
        fn keys_sorted_in_parts_and_merged_are_sorted(ids in proptest::collection::vec("[A-C0-9]{0,4}", 0..300), part in 1usize..40) {
            let want = {
                let mut k: Vec<(&str, u32)> = ids.iter().enumerate().map(|(i, s)| (s.as_str(), i as u32)).collect();
                k.sort();
                k
            };
            let mut keys: Vec<(&str, u32)> = ids.iter().enumerate().map(|(i, s)| (s.as_str(), i as u32)).collect();
            let n = keys.len();
            for p in keys.chunks_mut(part) {
                sort_keys(p);
            }
            let mut width = part;
            let mut merged = Vec::new();
            while width < n {
                merged.clear();
                for lo in (0..n).step_by(2 * width) {
                    let (mid, hi) = ((lo + width).min(n), (lo + 2 * width).min(n));
                    merge_keys(&keys[lo..mid], &keys[mid..hi], &mut merged);
                }
                std::mem::swap(&mut keys, &mut merged);
                width *= 2;
            }
            proptest::prop_assert_eq!(keys, want);
        }
    }

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    const GOLDEN_CUSTOMER_JSON: &str = include_str!("bucket_golden_customer.json");
    /// `rmp_serde::to_vec(&[customer])` of the JSON beside it, as written by this version.
    const GOLDEN_CUSTOMER: &str = include_str!("bucket_golden_customer.hex");
}
