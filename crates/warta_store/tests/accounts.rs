//! Accounts by email (issue #28): invitation and reset links, on both backends.

use chrono::{DateTime, Duration, TimeZone, Utc};
use warta_core::newsroom::Role;
use warta_store::{LinkPurpose, NO_PASSWORD_YET};

#[macro_use]
#[path = "support/backends.rs"]
mod backends;
use backends::*;

on_both_backends!(
    a_link_works_once_until_it_expires,
    a_newer_link_voids_the_older_and_a_disabled_account_gets_none,
);

fn at(h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 6, h, 0, 0)
        .single()
        .expect("time")
}

async fn a_link_works_once_until_it_expires(f: Fresh) {
    let store = &f.store;
    let u = store
        .add_user("ana@example.id", "Ana", Role::Editor, "old", None, at(1))
        .await
        .expect("user");
    store
        .create_session("s1", u.id, "c", at(1), at(20))
        .await
        .expect("session");
    store
        .add_account_link("h1", u.id, LinkPurpose::Reset, at(1), at(2))
        .await
        .expect("link");
    // The wrong kind finds nothing; the right one finds the account.
    assert!(
        store
            .account_link("h1", LinkPurpose::Invite, at(1))
            .await
            .expect("read")
            .is_none()
    );
    let found = store
        .account_link("h1", LinkPurpose::Reset, at(1))
        .await
        .expect("read");
    assert_eq!(found.map(|u| u.id), Some(u.id));
    // After its hour it is gone.
    assert!(
        store
            .use_account_link(
                "h1",
                LinkPurpose::Reset,
                "new",
                at(2) + Duration::seconds(1)
            )
            .await
            .expect("use")
            .is_none()
    );
    let (_, hash) = store
        .user_by_email("ana@example.id")
        .await
        .expect("read")
        .expect("user");
    assert_eq!(hash, "old", "an expired link changes nothing");
    // A fresh one works once: the password changes and the session ends.
    store
        .add_account_link("h2", u.id, LinkPurpose::Reset, at(3), at(4))
        .await
        .expect("link");
    let used = store
        .use_account_link("h2", LinkPurpose::Reset, "new", at(3))
        .await
        .expect("use");
    assert_eq!(used.map(|u| u.id), Some(u.id));
    let (_, hash) = store
        .user_by_email("ana@example.id")
        .await
        .expect("read")
        .expect("user");
    assert_eq!(hash, "new");
    assert!(store.session("s1").await.expect("read").is_none());
    assert!(
        store
            .use_account_link("h2", LinkPurpose::Reset, "again", at(3))
            .await
            .expect("use")
            .is_none(),
        "a link works once"
    );
    // An admin setting the password by hand voids an unused link.
    store
        .add_account_link("h3", u.id, LinkPurpose::Reset, at(3), at(4))
        .await
        .expect("link");
    store
        .set_password("ana@example.id", "by-admin")
        .await
        .expect("set");
    assert!(
        store
            .account_link("h3", LinkPurpose::Reset, at(3))
            .await
            .expect("read")
            .is_none()
    );
}

async fn a_newer_link_voids_the_older_and_a_disabled_account_gets_none(f: Fresh) {
    let store = &f.store;
    let u = store
        .add_user(
            "budi@example.id",
            "Budi",
            Role::Contributor,
            NO_PASSWORD_YET,
            None,
            at(1),
        )
        .await
        .expect("user");
    store
        .add_account_link("a", u.id, LinkPurpose::Invite, at(1), at(9))
        .await
        .expect("link");
    assert_eq!(
        store.awaiting_invitation(at(1)).await.expect("read"),
        vec![(u.id, Some(at(9).timestamp()))]
    );
    store
        .add_account_link("b", u.id, LinkPurpose::Invite, at(2), at(10))
        .await
        .expect("link");
    assert!(
        store
            .account_link("a", LinkPurpose::Invite, at(2))
            .await
            .expect("read")
            .is_none(),
        "the older invitation stops working"
    );
    store
        .set_disabled("budi@example.id", true)
        .await
        .expect("disable");
    assert!(
        store
            .use_account_link("b", LinkPurpose::Invite, "x", at(2))
            .await
            .expect("use")
            .is_none(),
        "a disabled account cannot use its link"
    );
    store
        .set_disabled("budi@example.id", false)
        .await
        .expect("enable");
    // Disabling voided it: enabled again, the old link stays dead; a new one works.
    assert!(
        store
            .use_account_link("b", LinkPurpose::Invite, "chosen", at(2))
            .await
            .expect("use")
            .is_none()
    );
    store
        .add_account_link("c", u.id, LinkPurpose::Invite, at(2), at(10))
        .await
        .expect("link");
    assert!(
        store
            .use_account_link("c", LinkPurpose::Invite, "chosen", at(2))
            .await
            .expect("use")
            .is_some()
    );
    assert!(
        store
            .awaiting_invitation(at(2))
            .await
            .expect("read")
            .is_empty()
    );
}
