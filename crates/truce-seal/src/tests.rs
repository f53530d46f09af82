use super::*;

fn d(id: &str) -> DelegationId {
    DelegationId::parse(id).unwrap()
}

fn policy(threshold: u32, at_least: &[(&str, u32)]) -> TestimonyPolicy {
    TestimonyPolicy {
        threshold,
        at_least: at_least.iter().map(|(k, v)| (d(k), *v)).collect(),
        request_hours: 72,
    }
}

/// Five custodians: two monitors, two of one mediator, one of the other.
fn five() -> Vec<(Custodian, SecretKey)> {
    [
        ("jmt/monitor-1", "jmt"),
        ("jmt/monitor-2", "jmt"),
        ("tr/commissioner-1", "tr"),
        ("tr/commissioner-2", "tr"),
        ("qa/commissioner-1", "qa"),
    ]
    .into_iter()
    .map(|(name, delegation)| {
        let secret = SecretKey::generate();
        let custodian = Custodian {
            name: name.into(),
            delegation: d(delegation),
            key: secret.public(),
        };
        (custodian, secret)
    })
    .collect()
}

/// Seals, then releases the shares of custodians `approving` to a requester and tries to
/// open with them.
fn attempt(policy: &TestimonyPolicy, approving: &[usize]) -> Result<Vec<u8>, SealError> {
    let people = five();
    let custodians: Vec<Custodian> = people.iter().map(|(c, _)| c.clone()).collect();
    let sealed = seal(b"identity: exercise witness", &custodians, policy).unwrap();
    let requester = SecretKey::generate();
    let mut released = vec![];
    for &i in approving {
        let (custodian, secret) = &people[i];
        let share = &sealed.shares[i];
        let bundle = open_share(secret, &custodian.name, &sealed.sha256, &share.blob).unwrap();
        let blob = release(&bundle, &requester.public()).unwrap();
        released.push(open_released(&requester, &custodian.name, &sealed.sha256, &blob).unwrap());
    }
    let key = recover(&released, policy)?;
    open(&sealed.ciphertext, &sealed.sha256, &key)
}

#[test]
fn three_of_five_opens_with_three_and_not_with_two() {
    let p = policy(3, &[]);
    assert!(matches!(attempt(&p, &[0, 2]), Err(SealError::NotEnough(_))));
    assert_eq!(
        attempt(&p, &[0, 2, 4]).unwrap(),
        b"identity: exercise witness"
    );
    assert_eq!(
        attempt(&p, &[1, 3, 4]).unwrap(),
        b"identity: exercise witness"
    );
}

#[test]
fn per_delegation_minimums_are_enforced_by_the_split_itself() {
    // Three approvals, one of them a monitor's.
    let p = policy(3, &[("jmt", 1)]);
    assert!(matches!(
        attempt(&p, &[2, 3, 4]),
        Err(SealError::NotEnough(_))
    ));
    assert!(attempt(&p, &[0, 2, 4]).is_ok());
    // Two monitors and one of each mediator.
    let p = policy(4, &[("jmt", 2), ("tr", 1), ("qa", 1)]);
    assert!(attempt(&p, &[0, 1, 2, 4]).is_ok());
    assert!(attempt(&p, &[0, 2, 3, 4]).is_err());
}

#[test]
fn too_few_shares_do_not_recover_the_key_even_past_the_policy_check() {
    // A requester who skips the policy check and combines two shares gets a wrong key:
    // the sealed part does not open.
    let people = five();
    let custodians: Vec<Custodian> = people.iter().map(|(c, _)| c.clone()).collect();
    let p = policy(3, &[]);
    let sealed = seal(b"secret", &custodians, &p).unwrap();
    let bundles: Vec<Bundle> = [0usize, 2]
        .iter()
        .map(|&i| {
            let (c, s) = &people[i];
            open_share(s, &c.name, &sealed.sha256, &sealed.shares[i].blob).unwrap()
        })
        .collect();
    let key = split::recover(&bundles, &policy(2, &[])).unwrap();
    assert!(matches!(
        open(&sealed.ciphertext, &sealed.sha256, &key),
        Err(SealError::Undecryptable)
    ));
}

#[test]
fn a_share_opens_only_with_its_custodians_key() {
    let people = five();
    let custodians: Vec<Custodian> = people.iter().map(|(c, _)| c.clone()).collect();
    let sealed = seal(b"x", &custodians, &policy(3, &[])).unwrap();
    let other = &people[1].1;
    let err = open_share(
        other,
        &people[0].0.name,
        &sealed.sha256,
        &sealed.shares[0].blob,
    );
    assert!(matches!(err, Err(SealError::WrongKey)));
}

#[test]
fn a_policy_one_delegation_can_meet_is_refused() {
    let people = five();
    let custodians: Vec<Custodian> = people.iter().map(|(c, _)| c.clone()).collect();
    let err = seal(b"x", &custodians, &policy(2, &[])).unwrap_err();
    assert!(matches!(err, SealError::Policy(_)), "{err}");
}

#[test]
fn neither_the_sealed_part_nor_any_share_holds_the_plaintext() {
    let people = five();
    let custodians: Vec<Custodian> = people.iter().map(|(c, _)| c.clone()).collect();
    let plaintext = b"WITNESS-NAME-Zarghuna-Exercise";
    let sealed = seal(plaintext, &custodians, &policy(3, &[])).unwrap();
    let all: Vec<&[u8]> = std::iter::once(sealed.ciphertext.as_slice())
        .chain(sealed.shares.iter().map(|s| s.blob.as_slice()))
        .collect();
    for blob in all {
        assert!(!blob.windows(plaintext.len()).any(|w| w == plaintext));
    }
}
