//! The store below HTTP: seeding, a changeset's transaction, versions, history, revert.

mod common;

use skaraborgskartan::store::{Action, Changeset, Edit, EditError, Scope, kind};

fn changeset(scope: Scope, edits: Vec<Edit>) -> Changeset {
    Changeset {
        account_id: None,
        actor: "test@example.se".into(),
        scope,
        kind: "edit",
        comment: String::new(),
        edits,
    }
}

fn abc_tibro(status: &str, base: Option<i64>) -> Edit {
    let mut e = Edit::new(
        kind("offerings").unwrap(),
        Some("1472/abc/offentliga-kallor".into()),
        base,
        Action::Save,
    );
    for (k, v) in [
        ("kommun", "1472"),
        ("programme", "abc"),
        ("round", "offentliga-kallor"),
        ("status", status),
    ] {
        e.fields.insert(k.into(), v.into());
    }
    e.source = "https://www.tibro.se/abc".into();
    e
}

#[tokio::test]
async fn an_edit_is_served_at_once_and_logged_and_a_stale_one_refused() {
    let (state, _dir) = common::with_store(&common::geodata(), None).await;
    let before = state
        .atlas()
        .offering(
            state.atlas().kommun_index("1472").unwrap(),
            state.atlas().round_index("offentliga-kallor").unwrap(),
            state.atlas().programme_index("abc").unwrap(),
        )
        .is_some();
    assert!(!before);
    let done = state
        .commit(changeset(Scope::Region, vec![abc_tibro("offered", None)]))
        .await
        .unwrap();
    assert_eq!(done.changes[0].2, 1);
    let a = state.atlas();
    let o = a
        .offering(
            a.kommun_index("1472").unwrap(),
            a.round_index("offentliga-kallor").unwrap(),
            a.programme_index("abc").unwrap(),
        )
        .unwrap();
    assert_eq!(o.source, "https://www.tibro.se/abc");
    // Based on no version (as if new) while it exists now: refused.
    let err = state
        .commit(changeset(
            Scope::Region,
            vec![abc_tibro("not_offered", None)],
        ))
        .await
        .unwrap_err();
    assert!(matches!(err, EditError::Conflict { .. }), "{err}");
    // A redaktör of Skövde may not touch Tibro.
    let skovde = Scope::Kommuner(["1496".to_string()].into());
    let err = state
        .commit(changeset(skovde, vec![abc_tibro("not_offered", Some(1))]))
        .await
        .unwrap_err();
    assert!(matches!(err, EditError::Forbidden(_)), "{err}");
    // A bad status: the loader's report, placed on the field.
    let err = state
        .commit(changeset(Scope::Region, vec![abc_tibro("kanske", Some(1))]))
        .await
        .unwrap_err();
    match err {
        EditError::Invalid { fields, problems } => assert_eq!(
            fields.first().map(|f| f.field.as_str()),
            Some("status"),
            "{fields:?} {problems:?}"
        ),
        e => panic!("{e}"),
    }
    let store = state.store().unwrap();
    assert_eq!(
        store
            .record(kind("offerings").unwrap(), "1472/abc/offentliga-kallor")
            .await
            .unwrap()
            .unwrap()
            .version,
        1
    );
    // Revert the creation: the record goes away again.
    let change = done.changes[0].0;
    let revert = Edit::new(
        kind("offerings").unwrap(),
        Some("1472/abc/offentliga-kallor".into()),
        None,
        Action::Revert(change),
    );
    state
        .commit(changeset(Scope::Region, vec![revert]))
        .await
        .unwrap();
    assert!(
        store
            .record(kind("offerings").unwrap(), "1472/abc/offentliga-kallor")
            .await
            .unwrap()
            .is_none()
    );
}
