//! Loading damaged compiled files: every single-byte corruption and every
//! truncation of the compiled saas program is rejected (or, where a change
//! is harmless, scores identically) and nothing ever panics — also when the
//! checksum is recomputed so that the decoder and verifier see the damage.

use crate::common;

use common::saas::{Rng, random_lead};
use leadc::compile::LoadError;
use leadc::compile::fnv1a;
use leadc::lead::Lead;
use leadc::outcome::Outcome;
use leadc::program::Program;

const MASKS: [u8; 4] = [0x01, 0x10, 0x80, 0xFF];

fn saas() -> Program {
    common::saas()
}

fn leads(program: &Program, n: usize) -> Vec<Lead> {
    let mut rng = Rng::new(99);
    (0..n)
        .map(|_| {
            let mut lead = program.new_lead();
            random_lead(&mut rng, program.schema(), &mut lead);
            lead
        })
        .collect()
}

fn outcomes(program: &Program, leads: &[Lead]) -> Vec<Outcome> {
    leads.iter().map(|l| program.evaluate(l)).collect()
}

/// Rewrites the header checksum to match the (damaged) body.
fn reseal(bytes: &mut [u8]) {
    if bytes.len() >= 16 {
        let sum = fnv1a(&bytes[16..]).to_le_bytes();
        bytes[8..12].copy_from_slice(&sum);
    }
}

#[test]
fn every_single_byte_corruption_is_rejected_or_harmless() {
    let program = saas();
    let bytes = program.to_bytes();
    let leads = leads(&program, 64);
    let expected = outcomes(&program, &leads);
    let mut rejected = 0;
    for i in 0..bytes.len() {
        for mask in MASKS {
            let mut bad = bytes.clone();
            bad[i] ^= mask;
            match Program::from_bytes(&bad) {
                Err(_) => rejected += 1,
                Ok(p) => assert_eq!(outcomes(&p, &leads), expected, "byte {i} ^ {mask:#x} changed scores"),
            }
        }
    }
    // The checksum catches every single-byte change.
    assert_eq!(rejected, bytes.len() * MASKS.len());
}

#[test]
fn resealed_corruptions_never_panic_and_are_mostly_caught_by_decoder_or_verifier() {
    let program = saas();
    let bytes = program.to_bytes();
    let leads = leads(&program, 8);
    let (mut verify, mut decode, mut accepted) = (0, 0, 0);
    for i in 16..bytes.len() {
        for mask in MASKS {
            let mut bad = bytes.clone();
            bad[i] ^= mask;
            reseal(&mut bad);
            match Program::from_bytes(&bad) {
                Err(LoadError::Verify(_)) => verify += 1,
                Err(LoadError::BadChecksum { .. }) => panic!("resealed bytes failed the checksum"),
                Err(_) => decode += 1,
                Ok(p) => {
                    accepted += 1;
                    // A loaded program runs to the end on any lead and saves
                    // back to the same bytes.
                    for lead in &leads {
                        let o = p.evaluate(lead);
                        assert!(o.points >= 0 && o.points <= 100);
                    }
                    assert!(p.to_bytes() == bad, "byte {i} ^ {mask:#x} loads but saves differently");
                }
            }
        }
    }
    println!("resealed: {verify} rejected by the verifier, {decode} by the decoder, {accepted} accepted");
    assert!(verify > 100, "the verifier caught {verify}");
    assert!(decode > 100, "the decoder caught {decode}");
}

#[test]
fn every_truncation_is_rejected() {
    let bytes = saas().to_bytes();
    for len in 0..bytes.len() {
        let err = Program::from_bytes(&bytes[..len]).unwrap_err();
        if len >= 16 {
            assert_eq!(err, LoadError::Truncated { offset: len }, "length {len}");
        }
    }
    let mut resealed_rejected = 0;
    for len in 16..bytes.len() {
        let mut bad = bytes[..len].to_vec();
        let body = (len - 16) as u32;
        bad[12..16].copy_from_slice(&body.to_le_bytes());
        reseal(&mut bad);
        assert!(Program::from_bytes(&bad).is_err(), "truncated to {len} and resealed");
        resealed_rejected += 1;
    }
    assert_eq!(resealed_rejected, bytes.len() - 16);
}

#[test]
fn random_bytes_are_rejected() {
    let mut rng = Rng::new(3);
    let valid = saas().to_bytes();
    for round in 0..2000 {
        let len = rng.below(600) as usize;
        let mut bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        if round % 2 == 0 && bytes.len() >= 16 {
            // A valid header over random sections.
            bytes[..8].copy_from_slice(&valid[..8]);
            bytes[12..16].copy_from_slice(&((len - 16) as u32).to_le_bytes());
            reseal(&mut bytes);
        }
        assert!(Program::from_bytes(&bytes).is_err());
    }
}

#[test]
fn header_errors_are_typed() {
    let bytes = saas().to_bytes();
    assert_eq!(Program::from_bytes(b"not a program"), Err(LoadError::BadMagic));
    let mut other = bytes.clone();
    other[6] = 1;
    assert_eq!(Program::from_bytes(&other), Err(LoadError::UnsupportedVersion { found: 1 }));
    let mut tampered = bytes.clone();
    *tampered.last_mut().unwrap() ^= 1;
    assert!(matches!(Program::from_bytes(&tampered), Err(LoadError::BadChecksum { .. })));
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(matches!(Program::from_bytes(&longer), Err(LoadError::Malformed { .. })));
    let message = LoadError::BadMagic.to_diagnostic(leadc::diag::Sources::new().add("x.leadc", "")).message;
    assert_eq!(message, "cannot load the compiled program: not a compiled leadc program (bad magic bytes)");
}
