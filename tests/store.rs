//! The store below HTTP: seeding, a changeset's transaction, versions, history, revert.

mod common;

use skaraborgskartan::store::{Action, Changeset, Edit, EditError, Scope, kind};

fn changeset(scope: Scope, edits: Vec<Edit>) -> Changeset {
    Changeset::new("test@example.se", scope, "edit", edits)
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

// ------------------------------------------------------------------------------ the store's rules

use std::collections::BTreeMap;
use std::path::Path;

use axum::http::StatusCode;
use skaraborgskartan::AppState;
use skaraborgskartan::store::{HistoryFilter, KINDS, Record, Store};

fn offering(kommun: &str, programme: &str, status: &str, base: Option<i64>) -> Edit {
    let key = format!("{kommun}/{programme}/offentliga-kallor");
    let mut e = Edit::new(kind("offerings").unwrap(), Some(key), base, Action::Save);
    for (k, v) in [
        ("kommun", kommun),
        ("programme", programme),
        ("round", "offentliga-kallor"),
        ("status", status),
    ] {
        e.fields.insert(k.into(), v.into());
    }
    e.source = format!("https://kommun{kommun}.example.se/{programme}");
    e
}

fn set(kind_name: &str, key: &str, base: i64, fields: &[(&str, &str)], source: &str) -> Edit {
    let mut e = Edit::new(
        kind(kind_name).unwrap(),
        Some(key.into()),
        Some(base),
        Action::Save,
    );
    for (k, v) in fields {
        e.fields.insert((*k).into(), (*v).into());
    }
    e.source = source.into();
    e
}

async fn record(state: &AppState, kind_name: &str, key: &str) -> Option<Record> {
    let store = state.store().unwrap();
    store.record(kind(kind_name).unwrap(), key).await.unwrap()
}

/// The history of one record, oldest first.
async fn history_of(
    state: &AppState,
    kind_name: &str,
    key: &str,
) -> Vec<skaraborgskartan::store::Change> {
    let filter = HistoryFilter {
        kind: Some(kind_name.into()),
        key: Some(key.into()),
        ..HistoryFilter::default()
    };
    state.store().unwrap().history(&filter).await.unwrap()
}

/// (field, old, new) of a change, sorted by field.
fn touched(c: &skaraborgskartan::store::Change) -> Vec<(String, Option<String>, Option<String>)> {
    c.fields
        .iter()
        .map(|f| (f.field.clone(), f.old.clone(), f.new.clone()))
        .collect()
}

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

/// A data file's rows as field maps (header → cell).
fn rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    r.records()
        .map(|row| {
            header
                .iter()
                .cloned()
                .zip(row.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn seeding_makes_one_record_per_row_at_version_one() {
    let (state, _dir) = common::with_store(&common::geodata(), None).await;
    let store = state.store().unwrap();
    assert!(store.is_seeded().await.unwrap());
    assert_eq!(store.revision().await.unwrap(), 1);
    for k in &KINDS {
        let file = common::geodata().join(format!("{}.csv", k.name));
        let expected = rows(&file);
        let records = store.records(k).await.unwrap();
        assert_eq!(records.len(), expected.len(), "{}", k.name);
        for (i, (r, row)) in records.iter().zip(&expected).enumerate() {
            assert_eq!(&r.fields, row, "{} row {}", k.name, i + 1);
            assert_eq!(r.version, 1, "{} {}", k.name, r.key);
            assert_eq!(r.position, i as i64 + 1);
            let key = k.key_of(row).unwrap_or_else(|| (i + 1).to_string());
            assert_eq!(r.key, key);
            assert_eq!(
                r.kommun.as_deref(),
                k.kommun_of(row),
                "{} {}",
                k.name,
                r.key
            );
        }
    }
    let abc = record(&state, "offerings", "1496/abc/offentliga-kallor")
        .await
        .unwrap();
    assert_eq!(abc.kommun.as_deref(), Some("1496"));
    assert!(
        record(&state, "programmes", "abc")
            .await
            .unwrap()
            .kommun
            .is_none()
    );
    let changes = store.history(&HistoryFilter::default()).await.unwrap();
    assert!(changes.is_empty(), "seeding is not a change: {changes:?}");
}

#[tokio::test]
async fn every_action_bumps_the_version_and_logs_each_field_old_to_new() {
    let (state, _dir) = common::with_store(&common::geodata(), None).await;
    let today = skaraborgskartan::dates::today();
    let key = "1496/abc/offentliga-kallor";
    // Save: only the fields given change, with the source and today's date.
    let mut cs = changeset(
        Scope::Kommuner(["1496".to_string()].into()),
        vec![set(
            "offerings",
            key,
            1,
            &[("organiser", "Skövde kommun")],
            "https://www.skovde.se/abc",
        )],
    );
    cs.account_id = Some(7);
    cs.actor = "redaktor@skovde.se".into();
    cs.comment = "från kommunens webbplats".into();
    let done = state.commit(cs).await.unwrap();
    let r = record(&state, "offerings", key).await.unwrap();
    assert_eq!(r.version, 2);
    assert_eq!(done.changes[0].1, key);
    assert_eq!(done.changes[0].2, 2);
    assert_eq!(r.field("organiser"), "Skövde kommun");
    assert_eq!(r.field("status"), "offered");
    let h = history_of(&state, "offerings", key).await;
    assert_eq!(h.len(), 1);
    let c = &h[0];
    assert_eq!(
        (c.id, c.changeset, c.version),
        (done.changes[0].0, done.changeset, 2)
    );
    assert_eq!(
        (c.action.as_str(), c.actor.as_str()),
        ("save", "redaktor@skovde.se")
    );
    assert_eq!(c.account_id, Some(7));
    assert_eq!(c.source, "https://www.skovde.se/abc");
    assert_eq!(c.comment, "från kommunens webbplats");
    assert_eq!(c.kommun.as_deref(), Some("1496"));
    let old_source = "sla-2015-abc-skovde";
    assert_eq!(
        touched(c),
        [
            ("last_confirmed".into(), s("2015-09-08"), s(&today)),
            (
                "organiser".into(),
                s("Skövde kommun, sektor socialtjänst (socialförvaltningen)"),
                s("Skövde kommun")
            ),
            (
                "source".into(),
                s(old_source),
                s("https://www.skovde.se/abc")
            ),
        ]
    );
    // Confirm: only the date, and the record's own source is logged.
    let mut confirm = Edit::new(
        kind("offerings").unwrap(),
        Some(key.into()),
        Some(2),
        Action::Confirm,
    );
    confirm.confirmed = Some("2026-01-15".into());
    state
        .commit(changeset(Scope::Region, vec![confirm]))
        .await
        .unwrap();
    let r = record(&state, "offerings", key).await.unwrap();
    assert_eq!((r.version, r.field("last_confirmed")), (3, "2026-01-15"));
    let c = history_of(&state, "offerings", key).await.pop().unwrap();
    assert_eq!(c.action, "confirm");
    assert_eq!(c.source, "https://www.skovde.se/abc");
    assert_eq!(
        touched(&c),
        [("last_confirmed".into(), s(&today), s("2026-01-15"))]
    );
    // Save of a new keyed record: version 1, every field from nothing.
    state
        .commit(changeset(
            Scope::Region,
            vec![offering("1472", "abc", "offered", None)],
        ))
        .await
        .unwrap();
    let c = history_of(&state, "offerings", "1472/abc/offentliga-kallor")
        .await
        .pop()
        .unwrap();
    assert_eq!(c.version, 1);
    assert!(c.fields.iter().all(|f| f.old.is_none()), "{:?}", c.fields);
    assert!(
        c.fields
            .iter()
            .any(|f| f.field == "status" && f.new == s("offered"))
    );
    // Save of a new numbered record: the next number, even past removed ones.
    let mut contact = Edit::new(kind("contacts").unwrap(), None, None, Action::Save);
    for (k, v) in [
        ("kommun", "1472"),
        ("kind", "website"),
        ("name", "Tibro"),
        ("url", "https://www.tibro.se"),
    ] {
        contact.fields.insert(k.into(), v.into());
    }
    contact.source = "https://www.tibro.se".into();
    let done = state
        .commit(changeset(Scope::Region, vec![contact.clone()]))
        .await
        .unwrap();
    assert_eq!(done.changes[0].1, "27");
    let r = record(&state, "contacts", "27").await.unwrap();
    assert_eq!((r.version, r.position, r.field("note")), (1, 27, ""));
    // Remove: gone, logged with every field going to nothing; its number is not used again.
    let remove = Edit::new(
        kind("contacts").unwrap(),
        Some("27".into()),
        Some(1),
        Action::Remove,
    );
    let done = state
        .commit(changeset(Scope::Region, vec![remove]))
        .await
        .unwrap();
    assert_eq!(done.changes[0].2, 0);
    assert!(record(&state, "contacts", "27").await.is_none());
    let c = history_of(&state, "contacts", "27").await.pop().unwrap();
    assert_eq!((c.action.as_str(), c.version), ("remove", 0));
    assert!(c.fields.iter().all(|f| f.new.is_none() && f.old.is_some()));
    let done = state
        .commit(changeset(Scope::Region, vec![contact]))
        .await
        .unwrap();
    assert_eq!(done.changes[0].1, "28");
    // The revision counts committed changesets.
    assert_eq!(state.store().unwrap().revision().await.unwrap(), 7);
}

#[tokio::test]
async fn revert_undoes_a_create_an_update_and_a_removal_and_refuses_when_changed_since() {
    let (state, _dir) = common::with_store(&common::geodata(), None).await;
    let revert = |kind_name: &str, key: &str, change: i64| {
        Edit::new(
            kind(kind_name).unwrap(),
            Some(key.into()),
            None,
            Action::Revert(change),
        )
    };
    // An update, reverted: the fields it set go back; the revert is a change of its own.
    let key = "1496/abc/offentliga-kallor";
    let before = record(&state, "offerings", key).await.unwrap();
    let done = state
        .commit(changeset(
            Scope::Region,
            vec![set("offerings", key, 1, &[("note", "ny")], "https://x.se")],
        ))
        .await
        .unwrap();
    let update = done.changes[0].0;
    let mut cs = changeset(Scope::Region, vec![revert("offerings", key, update)]);
    cs.kind = "revert";
    cs.comment = "fel".into();
    state.commit(cs).await.unwrap();
    let after = record(&state, "offerings", key).await.unwrap();
    assert_eq!(after.fields, before.fields);
    assert_eq!(after.version, 3);
    let c = history_of(&state, "offerings", key).await.pop().unwrap();
    assert_eq!(
        (c.action.as_str(), c.reverts, c.comment.as_str()),
        ("revert", Some(update), "fel")
    );
    // Refused: a revert of fields changed since (by the revert itself here: the note is back).
    let err = state
        .commit(changeset(
            Scope::Region,
            vec![revert("offerings", key, update)],
        ))
        .await
        .unwrap_err();
    assert!(matches!(err, EditError::Conflict { .. }), "{err}");
    let done = state
        .commit(changeset(
            Scope::Region,
            vec![set(
                "offerings",
                key,
                3,
                &[("note", "igen")],
                "https://x.se",
            )],
        ))
        .await
        .unwrap();
    state
        .commit(changeset(
            Scope::Region,
            vec![set(
                "offerings",
                key,
                4,
                &[("note", "sedan")],
                "https://x.se",
            )],
        ))
        .await
        .unwrap();
    let err = state
        .commit(changeset(
            Scope::Region,
            vec![revert("offerings", key, done.changes[0].0)],
        ))
        .await
        .unwrap_err();
    match err {
        EditError::Conflict { current, .. } => {
            assert_eq!(current.unwrap().field("note"), "sedan");
        }
        e => panic!("{e}"),
    }
    assert_eq!(
        record(&state, "offerings", key).await.unwrap().version,
        5,
        "nothing written"
    );
    // A revert of a change of another record, or of none: not found.
    let err = state
        .commit(changeset(
            Scope::Region,
            vec![revert("offerings", "1496/biff/offentliga-kallor", update)],
        ))
        .await
        .unwrap_err();
    assert!(matches!(err, EditError::NotFound(_)), "{err}");
    // A removal, reverted: the record is back with all its fields.
    let contact = record(&state, "contacts", "14").await.unwrap();
    let remove = Edit::new(
        kind("contacts").unwrap(),
        Some("14".into()),
        Some(1),
        Action::Remove,
    );
    let done = state
        .commit(changeset(Scope::Region, vec![remove]))
        .await
        .unwrap();
    state
        .commit(changeset(
            Scope::Region,
            vec![revert("contacts", "14", done.changes[0].0)],
        ))
        .await
        .unwrap();
    let back = record(&state, "contacts", "14").await.unwrap();
    assert_eq!(back.fields, contact.fields);
    assert!(
        state
            .atlas()
            .inventory
            .contacts
            .iter()
            .any(|c| c.name == contact.field("name"))
    );
    // A creation, reverted: the record goes away (the example at the top does this for an
    // offering; here a redaktör reverts their own kommun's).
    let tibro = Scope::Kommuner(["1472".to_string()].into());
    let done = state
        .commit(changeset(
            tibro.clone(),
            vec![offering("1472", "cope", "not_offered", None)],
        ))
        .await
        .unwrap();
    let created = done.changes[0].0;
    // Not theirs to revert: a Skövde redaktör.
    let skovde = Scope::Kommuner(["1496".to_string()].into());
    let err = state
        .commit(changeset(
            skovde,
            vec![revert("offerings", "1472/cope/offentliga-kallor", created)],
        ))
        .await
        .unwrap_err();
    assert!(matches!(err, EditError::Forbidden(_)), "{err}");
    state
        .commit(changeset(
            tibro,
            vec![revert("offerings", "1472/cope/offentliga-kallor", created)],
        ))
        .await
        .unwrap();
    assert!(
        record(&state, "offerings", "1472/cope/offentliga-kallor")
            .await
            .is_none()
    );
    let c = history_of(&state, "offerings", "1472/cope/offentliga-kallor")
        .await
        .pop()
        .unwrap();
    assert_eq!((c.action.as_str(), c.version), ("revert", 0));
}

/// What the SQLite file holds of records and history, read through a connection of its own.
async fn file_contents(path: &Path) -> Vec<String> {
    use sqlx::sqlite::SqliteConnectOptions;
    let options = SqliteConnectOptions::new().filename(path).read_only(true);
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    let mut out = Vec::new();
    for sql in [
        "SELECT kind || ' ' || key || ' ' || COALESCE(kommun, '-') || ' ' || position || ' ' || version || ' ' || fields FROM records ORDER BY kind, key",
        "SELECT 'changeset ' || id || ' ' || kind || ' ' || actor FROM changesets ORDER BY id",
        "SELECT 'change ' || id || ' ' || record_kind || ' ' || record_key || ' ' || version FROM changes ORDER BY id",
        "SELECT 'field ' || change_id || ' ' || field || ' ' || COALESCE(old, '-') || ' ' || COALESCE(new, '-') FROM change_fields ORDER BY change_id, field",
        "SELECT 'meta ' || key || ' ' || value FROM meta ORDER BY key",
    ] {
        let rows: Vec<String> = sqlx::query_scalar(sql).fetch_all(&pool).await.unwrap();
        out.extend(rows);
    }
    pool.close().await;
    out
}

#[tokio::test]
async fn a_changeset_with_one_invalid_edit_changes_nothing_in_the_file() {
    let (state, dir) = common::with_store(&common::geodata(), None).await;
    let file = dir.path().join(skaraborgskartan::store::FILE);
    state
        .commit(changeset(
            Scope::Region,
            vec![offering("1472", "abc", "offered", None)],
        ))
        .await
        .unwrap();
    let before = file_contents(&file).await;
    let served = state.atlas();
    let tibro = Scope::Kommuner(["1472".to_string()].into());
    let good = || offering("1472", "cope", "offered", None);
    let cases: Vec<(&str, Scope, Edit)> = vec![
        (
            "a value the data refuses",
            Scope::Region,
            offering("1472", "komet-3-11", "kanske", None),
        ),
        (
            "a stale version",
            Scope::Region,
            offering("1472", "abc", "not_offered", Some(7)),
        ),
        (
            "outside the scope",
            tibro.clone(),
            offering("1496", "komet-3-11", "offered", None),
        ),
        (
            "an unknown programme",
            Scope::Region,
            offering("1472", "finns-inte", "offered", None),
        ),
        ("no source", Scope::Region, {
            let mut e = offering("1472", "komet-3-11", "offered", None);
            e.source = " ".into();
            e
        }),
    ];
    for (what, scope, bad) in cases {
        let err = state
            .commit(changeset(scope, vec![good(), bad]))
            .await
            .unwrap_err();
        assert_eq!(file_contents(&file).await, before, "{what}: {err}");
        assert!(
            std::sync::Arc::ptr_eq(&served, &state.atlas()),
            "{what}: the snapshot stays"
        );
    }
    // The refusal of the data's rules names the edited record's field.
    let err = state
        .commit(changeset(
            Scope::Region,
            vec![good(), offering("1472", "komet-3-11", "kanske", None)],
        ))
        .await
        .unwrap_err();
    let EditError::Invalid { fields, .. } = err else {
        panic!("{err}")
    };
    assert_eq!(fields.len(), 1, "{fields:?}");
    assert_eq!(
        (fields[0].record.as_str(), fields[0].field.as_str()),
        ("1472/komet-3-11/offentliga-kallor", "status")
    );
    // The good edit alone goes through.
    state.commit(changeset(tibro, vec![good()])).await.unwrap();
    assert_ne!(file_contents(&file).await, before);
}

/// The served snapshot against one built afresh from the store: the same data, the same bodies.
async fn assert_fresh(state: &AppState, when: &str) {
    let store = state.store().unwrap();
    let fresh = skaraborgskartan::server::build_from_store(store, None)
        .await
        .unwrap();
    let tables = |i: &skaraborgskartan::inventory::Inventory| -> Vec<(&str, String)> {
        vec![
            ("codes", format!("{:?}", i.codes)),
            ("programmes", format!("{:?}", i.programmes)),
            ("rounds", format!("{:?}", i.rounds)),
            ("offerings", format!("{:?}", i.offerings)),
            ("contacts", format!("{:?}", i.contacts)),
            ("sambu", format!("{:?}", i.sambu)),
            ("partssamverkan", format!("{:?}", i.partssamverkan)),
            ("documents", format!("{:?}", i.documents)),
            ("adherence", format!("{:?}", i.adherence)),
            ("trainings", format!("{:?}", i.trainings)),
            ("region_facts", format!("{:?}", i.region_facts)),
        ]
    };
    let served = state.atlas();
    for ((name, a), (_, b)) in tables(&served.inventory)
        .iter()
        .zip(tables(&fresh.inventory))
    {
        assert!(*a == b, "{when}: {name} served differ from a fresh load");
    }
    let fresh = AppState::new(fresh);
    let mut uris: Vec<String> = [
        "/api/v1/kommuner",
        "/api/v1/programmes",
        "/api/v1/region",
        "/api/v1/layers/offerings",
        "/api/v1/layers/sambu",
        "/api/v1/layers/partssamverkan",
        "/api/v1/layers/trainings",
        "/api/v1/export/erbjudanden?profil=rfc4180",
        "/api/v1/export/kommuner?profil=rfc4180",
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    uris.extend(
        served
            .kommuner()
            .iter()
            .map(|k| format!("/api/v1/kommuner/{}", k.code)),
    );
    for uri in uris {
        let (a, b) = (
            common::get(state, &uri).await,
            common::get(&fresh, &uri).await,
        );
        assert_eq!(a.status, StatusCode::OK, "{when}: {uri}");
        assert!(a.body == b.body, "{when}: {uri} differs from a fresh load");
    }
}

#[tokio::test]
async fn the_snapshot_after_each_commit_equals_a_fresh_load_from_the_store() {
    let (state, dir) = common::with_store(&common::geodata(), None).await;
    assert_fresh(&state, "seeded").await;
    state
        .commit(changeset(
            Scope::Region,
            vec![offering("1472", "abc", "offered", None)],
        ))
        .await
        .unwrap();
    assert_fresh(&state, "an offering created").await;
    let sambu = set(
        "sambu",
        "1445",
        1,
        &[("status", "active"), ("name", "Essunga-teamet")],
        "https://www.essunga.se",
    );
    let contact = Edit::new(
        kind("contacts").unwrap(),
        Some("1".into()),
        Some(1),
        Action::Remove,
    );
    state
        .commit(changeset(Scope::Region, vec![sambu, contact]))
        .await
        .unwrap();
    assert_fresh(&state, "sambu changed, a contact removed").await;
    // A refused changeset in between, then a change of another kind.
    let _ = state
        .commit(changeset(
            Scope::Region,
            vec![offering("1472", "cope", "kanske", None)],
        ))
        .await
        .unwrap_err();
    let fact = set(
        "region_facts",
        "1",
        1,
        &[("value", "4")],
        "https://example.se/fakta",
    );
    state
        .commit(changeset(Scope::Region, vec![fact]))
        .await
        .unwrap();
    assert_fresh(&state, "after a refusal, a region fact changed").await;
    // Another writer on the same file (a second process, say): the next snapshot has its change
    // too, not only this process's.
    let other = Store::open(dir.path()).await.unwrap();
    let mut e = set(
        "partssamverkan",
        "1446",
        1,
        &[("status", "functioning")],
        "https://www.karlsborg.se",
    );
    e.confirmed = Some("2026-03-01".into());
    let files = other.files().await.unwrap();
    let boundaries = state.atlas().inventory.boundaries.clone();
    other
        .apply(changeset(Scope::Region, vec![e]), |_| {
            skaraborgskartan::inventory::load_from(&files, None, Some(boundaries))
        })
        .await
        .unwrap();
    other.close().await;
    state
        .commit(changeset(
            Scope::Region,
            vec![offering("1472", "komet-3-11", "not_offered", None)],
        ))
        .await
        .unwrap();
    assert_fresh(&state, "after another writer").await;
    let a = state.atlas();
    let p = a
        .inventory
        .partssamverkan
        .iter()
        .find(|p| p.kommun == "1446")
        .unwrap();
    assert_eq!(p.source, "https://www.karlsborg.se");
}

// ------------------------------------------------------------------------------ data out and back

use common::process::{Process, agent, binary, seeded_with_token};

/// Runs the binary; panics with its output unless it succeeds. Returns stdout.
fn run_ok(args: &[&std::ffi::OsStr]) -> String {
    let out = binary().args(args).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{args:?}: {}\n{text}{err}",
        out.status
    );
    text
}

fn os(s: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(s)
}

/// Every file under `dir`, as paths relative to it.
fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// A store seeded before programmes.csv had `description_en` gets the column when it is next
/// opened (empty: no translation yet, which the English pages say), and writes it back.
#[tokio::test]
async fn a_store_from_before_description_en_gets_the_column() {
    let data = tempfile::tempdir().unwrap();
    common::copy_dir(&common::geodata(), data.path());
    // programmes.csv as it was: without its last column.
    let file = data.path().join("programmes.csv");
    let mut reader = csv::Reader::from_path(&file).unwrap();
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    let header = reader.headers().unwrap().clone();
    assert_eq!(header.iter().next_back(), Some("description_en"));
    writer
        .write_record(header.iter().take(header.len() - 1))
        .unwrap();
    for row in reader.records() {
        let row = row.unwrap();
        writer.write_record(row.iter().take(row.len() - 1)).unwrap();
    }
    std::fs::write(&file, writer.into_inner().unwrap()).unwrap();

    let state = tempfile::tempdir().unwrap();
    let store = skaraborgskartan::server::open_store(state.path(), data.path(), None)
        .await
        .unwrap();
    store.close().await;
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("data");
    run_ok(&[
        os("export-data"),
        dir.as_os_str(),
        os("--state"),
        state.path().as_os_str(),
    ]);
    let exported = std::fs::read_to_string(dir.join("programmes.csv")).unwrap();
    assert!(
        exported.starts_with(
            "slug,name,description,age_min,age_max,levels,format,source_url,last_confirmed,notes,description_en\n"
        ),
        "{}",
        exported.lines().next().unwrap()
    );
    let inv = skaraborgskartan::inventory::load(&dir, None).unwrap();
    assert_eq!(inv.programmes.len(), 29);
    assert!(inv.programmes.iter().all(|p| p.description_en.is_empty()));
}

#[tokio::test]
async fn export_data_of_a_fresh_store_is_byte_identical_to_the_data() {
    let state = tempfile::tempdir().unwrap();
    let store = skaraborgskartan::server::open_store(state.path(), &common::geodata(), None)
        .await
        .unwrap();
    store.close().await;
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("data");
    let report = run_ok(&[
        os("export-data"),
        dir.as_os_str(),
        os("--state"),
        state.path().as_os_str(),
    ]);
    assert!(report.contains("filer skrivna"), "{report}");
    let exported = files_under(&dir);
    // The data set's files: dataset.toml, every CSV beside it, each region's boundaries.
    let mut expected: Vec<std::path::PathBuf> = files_under(&common::geodata())
        .into_iter()
        .filter(|p| p.components().count() == 1 && p.extension().is_some_and(|e| e == "csv"))
        .collect();
    for p in [
        "dataset.toml",
        "kommuner.geojson",
        "sverige/kommuner.geojson",
    ] {
        expected.push(p.into());
    }
    expected.sort();
    assert_eq!(exported, expected);
    for p in &exported {
        let (a, b) = (
            std::fs::read(dir.join(p)).unwrap(),
            std::fs::read(common::geodata().join(p)).unwrap(),
        );
        assert!(a == b, "{}: not byte-identical to geodata/", p.display());
    }
    // Into a directory that is not empty: refused, nothing written.
    let out = binary()
        .args([
            os("export-data"),
            dir.as_os_str(),
            os("--state"),
            state.path().as_os_str(),
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("inte tom"));
}

#[tokio::test]
async fn an_edited_store_exports_data_that_checks_with_hostile_text_intact() {
    let (state, dir) = common::with_store(&common::geodata(), None).await;
    let hostile =
        "=HYPERLINK(\"https://ond.example\"), \"citat\"; <script>alert(1)</script>\nny rad";
    let mut abc = offering("1472", "abc", "offered", None);
    abc.fields.insert("note".into(), hostile.into());
    abc.fields
        .insert("organiser".into(), "Tibro kommun, IFO".into());
    let sambu = set(
        "sambu",
        "1472",
        1,
        &[("status", "active"), ("name", "Team \"Tibro\"")],
        "https://www.tibro.se/sambu",
    );
    state
        .commit(changeset(Scope::Region, vec![abc, sambu]))
        .await
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    let data = out.path().join("data");
    run_ok(&[
        os("export-data"),
        data.as_os_str(),
        os("--state"),
        dir.path().as_os_str(),
    ]);
    let report = run_ok(&[os("check"), data.as_os_str()]);
    assert!(report.contains("inga problem"), "{report}");
    let offerings = rows(&data.join("offerings.csv"));
    let row = offerings
        .iter()
        .find(|r| r["kommun"] == "1472" && r["programme"] == "abc")
        .expect("the new offering is exported");
    assert_eq!(row["note"], hostile);
    assert_eq!(row["status"], "offered");
    assert_eq!(row["last_confirmed"], skaraborgskartan::dates::today());
    let sambu = rows(&data.join("sambu.csv"));
    let row = sambu.iter().find(|r| r["kommun"] == "1472").unwrap();
    assert_eq!(row["name"], "Team \"Tibro\"");
    // Untouched files are still the shipped bytes.
    for name in [
        "programmes.csv",
        "contacts.csv",
        "dataset.toml",
        "kommuner.geojson",
    ] {
        let same = std::fs::read(data.join(name)).unwrap()
            == std::fs::read(common::geodata().join(name)).unwrap();
        assert!(same, "{name}");
    }
    // A store built from the export serves the same.
    let again = tempfile::tempdir().unwrap();
    let store = skaraborgskartan::server::open_store(again.path(), &data, None)
        .await
        .unwrap();
    let k = kind("offerings").unwrap();
    let r = store
        .record(k, "1472/abc/offentliga-kallor")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(r.field("note"), hostile);
    store.close().await;
}

#[test]
fn a_backup_taken_under_edits_restores_every_record_and_the_history() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let live = tempfile::tempdir().unwrap();
    let token = rt.block_on(seeded_with_token(live.path()));
    let server = Process::start(live.path());
    let uri = format!(
        "{}/api/v1/admin/records/offerings/1496/abc/offentliga-kallor",
        server.base
    );
    let acked = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let editor = {
        let (uri, token, acked, stop) = (uri.clone(), token.clone(), acked.clone(), stop.clone());
        std::thread::spawn(move || {
            use std::sync::atomic::Ordering;
            let agent = agent();
            let mut version = 1;
            while !stop.load(Ordering::SeqCst) {
                let n = acked.load(Ordering::SeqCst) + 1;
                let body = serde_json::json!({
                    "fields": { "note": format!("säkerhetskopia {n}") },
                    "source": "https://example.se/backup",
                });
                let r = agent
                    .put(&uri)
                    .header("authorization", &format!("Bearer {token}"))
                    .header("if-match", &format!("\"v{version}\""))
                    .header("content-type", "application/json")
                    .send(body.to_string())
                    .unwrap();
                assert_eq!(r.status(), 200);
                let j: serde_json::Value =
                    serde_json::from_reader(r.into_body().into_reader()).unwrap();
                version = j["version"].as_i64().unwrap();
                acked.fetch_add(1, Ordering::SeqCst);
            }
        })
    };
    let wait_for = |n: usize| {
        let start = std::time::Instant::now();
        while acked.load(std::sync::atomic::Ordering::SeqCst) < n {
            assert!(
                start.elapsed() < std::time::Duration::from_secs(60),
                "edits stalled"
            );
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    };
    wait_for(5);
    let copies = tempfile::tempdir().unwrap();
    let backup = copies.path().join("kopia.sqlite");
    let report = run_ok(&[
        os("backup"),
        backup.as_os_str(),
        os("--state"),
        live.path().as_os_str(),
    ]);
    assert!(report.contains("Säkerhetskopian"), "{report}");
    let at_backup = acked.load(std::sync::atomic::Ordering::SeqCst);
    wait_for(at_backup + 5);
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    editor.join().unwrap();
    drop(server);

    // A new server on a state directory holding the backup.
    let restored = tempfile::tempdir().unwrap();
    std::fs::copy(&backup, restored.path().join(skaraborgskartan::store::FILE)).unwrap();
    let (live_history, copy_history, copy_records) = rt.block_on(async {
        let all = HistoryFilter::default();
        let live = Store::open(live.path()).await.unwrap();
        let copy = Store::open(restored.path()).await.unwrap();
        let mut records = Vec::new();
        for k in &KINDS {
            records.push((k.name, copy.records(k).await.unwrap()));
        }
        let h = (
            live.history(&all).await.unwrap(),
            copy.history(&all).await.unwrap(),
        );
        live.close().await;
        copy.close().await;
        (h.0, h.1, records)
    });
    // Taken while edits went on: some before it, more after; the copy's history is the live
    // store's up to one moment, and its record holds that moment's value.
    assert!(
        copy_history.len() >= 5 && copy_history.len() < live_history.len(),
        "{} of {}",
        copy_history.len(),
        live_history.len()
    );
    assert_eq!(copy_history[..], live_history[..copy_history.len()]);
    let server = Process::start(restored.path());
    let get = |path: &str| {
        let r = agent()
            .get(&format!("{}{path}", server.base))
            .header("authorization", &format!("Bearer {token}"))
            .call()
            .unwrap();
        assert_eq!(r.status(), 200, "{path}");
        serde_json::from_reader::<_, serde_json::Value>(r.into_body().into_reader()).unwrap()
    };
    // Every record of every kind, as the copy holds it (the token, an account's, works too).
    for (name, records) in &copy_records {
        let served = get(&format!("/api/v1/admin/records/{name}"));
        let served = served["records"].as_array().unwrap();
        assert_eq!(served.len(), records.len(), "{name}");
        for (s, r) in served.iter().zip(records) {
            assert_eq!(s["key"], r.key.as_str());
            assert_eq!(s["version"], r.version);
            assert_eq!(s["fields"], serde_json::json!(r.fields), "{name} {}", r.key);
        }
    }
    let abc = &copy_records
        .iter()
        .find(|(n, _)| *n == "offerings")
        .unwrap()
        .1;
    let abc = abc
        .iter()
        .find(|r| r.key == "1496/abc/offentliga-kallor")
        .unwrap();
    let last = copy_history.last().unwrap();
    let note = last.fields.iter().find(|f| f.field == "note").unwrap();
    assert_eq!(Some(abc.field("note")), note.new.as_deref());
    assert_eq!(abc.version, last.version);
    // The history, as it was at the backup.
    let served = get("/api/v1/admin/changes?limit=1000");
    let ids: Vec<i64> = served["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, copy_history.iter().map(|c| c.id).collect::<Vec<_>>());
    let first = &served["changes"][0];
    assert_eq!(first["actor"], "skript@example.se");
    assert_eq!(
        first["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["field"] == "note")
            .unwrap()["new"],
        "säkerhetskopia 1"
    );
    // And the public API serves the copy's data.
    let public = get("/api/v1/kommuner/1496");
    assert!(
        public.to_string().contains(abc.field("note")),
        "the public API shows the restored note"
    );
}
