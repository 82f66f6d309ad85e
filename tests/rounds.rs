//! Survey rounds with a lifecycle, on a store of their own: the default round is the newest
//! closed survey round (an open one is not), a closed round refuses every change to its answers
//! (store and admin pages), the desk edits the open round and shows closed ones read-only, the
//! progress figures on the example data (counted by hand from geodata/example/offerings.csv),
//! creating, closing and reopening a round through its pages (logged in the history), what a
//! redaktör may not do, the rounds column of rounds.csv (absent: closed) and of an old store.

mod common;

use axum::http::StatusCode;
use skaraborgskartan::AppState;
use skaraborgskartan::store::log::{self, HistoryFilter};
use skaraborgskartan::store::{
    Action, Changeset, Edit, EditError, OFFERINGS, ROUNDS, SAMBU, Scope, Store,
};
use skaraborgskartan::vocabulary::RoundStatus;

const TIBRO: &str = "1472";

use common::admin::{get, hidden, person, post};

async fn change_count(state: &AppState) -> i64 {
    log::changes(state.store().unwrap(), &HistoryFilter::default(), 1, 0)
        .await
        .unwrap()
        .1
}

fn changeset(edits: Vec<Edit>) -> Changeset {
    Changeset::new("test@example.se", Scope::Region, "edit", edits)
}

/// A Save of kommun × programme in `round`.
fn answer(kommun: &str, programme: &str, round: &str, status: &str, base: Option<i64>) -> Edit {
    let mut e = Edit::new(
        &OFFERINGS,
        Some(format!("{kommun}/{programme}/{round}")),
        base,
        Action::Save,
    );
    for (k, v) in [
        ("kommun", kommun),
        ("programme", programme),
        ("round", round),
        ("status", status),
    ] {
        e.fields.insert(k.into(), v.into());
    }
    e.source = "EXEMPEL: svar för test".into();
    e
}

fn round_id(state: &AppState, r: usize) -> String {
    state.atlas().inventory.rounds[r].id.clone()
}

#[tokio::test]
async fn the_default_round_is_the_newest_closed_survey_and_an_open_one_is_not() {
    let (state, _dir) = common::with_store(&common::geodata(), None).await;
    let a = state.atlas();
    let status = |id: &str| a.inventory.rounds[a.round_index(id).unwrap()].status;
    assert_eq!(status("historiska-uppgifter"), RoundStatus::Closed);
    assert_eq!(status("offentliga-kallor"), RoundStatus::Open);
    assert_eq!(status("kartlaggning-2021"), RoundStatus::Closed);
    assert_eq!(status("uppfoljning-2024"), RoundStatus::Closed);
    assert_eq!(round_id(&state, a.default_round), "uppfoljning-2024");
    assert_eq!(a.open_round(), None, "the open sources round is no survey");
    drop(a);

    common::open_round(&state, "uppfoljning-2026", "Uppföljning 2026").await;
    let a = state.atlas();
    assert_eq!(round_id(&state, a.default_round), "uppfoljning-2024");
    assert_eq!(a.open_round(), a.round_index("uppfoljning-2026"));
    let region = common::get(&state, "/api/v1/region").await.json();
    assert_eq!(region["meta"]["default_round"], "uppfoljning-2024");
    assert_eq!(region["meta"]["open_round"], "uppfoljning-2026");
    let open = region["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "uppfoljning-2026")
        .unwrap();
    assert_eq!(
        (&open["status"], &open["in_progress"], &open["default"]),
        (&"open".into(), &true.into(), &false.into())
    );
    // Public pages show it only when asked for, labelled as in progress.
    let map =
        String::from_utf8(common::get(&state, "/?round=uppfoljning-2026").await.body).unwrap();
    assert!(
        map.contains("Pågående omgång – svaren är inte klara."),
        "the answered line says so: {map}"
    );
    let plain = String::from_utf8(common::get(&state, "/kommun/1472").await.body).unwrap();
    assert!(
        plain.contains("Uppföljning 2026 (pågående omgång – svaren är inte klara)"),
        "in the round select"
    );
    assert!(
        plain.contains(r#"<option value="uppfoljning-2024" selected>"#),
        "{plain}"
    );
    drop(a);

    // Closed through its page, it becomes the default.
    let berit = person(&state, "berit@vgregion.se", "samordnare", &[]).await;
    let page = get(&state, "/admin/omgangar/uppfoljning-2026/stang", &berit).await;
    let version = hidden(&page.text, "version");
    let closed = post(
        &state,
        "/admin/omgangar/uppfoljning-2026/stang",
        &berit,
        &[("version", &version)],
    )
    .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER, "{}", closed.text);
    let a = state.atlas();
    assert_eq!(round_id(&state, a.default_round), "uppfoljning-2026");
    assert_eq!(a.open_round(), None);

    // The example data: both rounds closed, the newer the default, none open.
    let (example, _dir) = common::with_store(&common::geodata().join("example"), None).await;
    let a = example.atlas();
    assert!(
        a.inventory
            .rounds
            .iter()
            .all(|r| r.status == RoundStatus::Closed)
    );
    assert_eq!(round_id(&example, a.default_round), "exempel-2024");
    assert_eq!(a.open_round(), None);
}

#[tokio::test]
async fn rounds_csv_without_a_status_reads_as_closed_and_a_bad_status_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("data");
    common::copy_dir(&common::geodata(), &copy);
    // The file as it was before rounds had a status: every round closed.
    let rounds = std::fs::read_to_string(copy.join("rounds.csv")).unwrap();
    let old: String = rounds
        .lines()
        .map(|l| {
            let cut = l.rfind(',').unwrap();
            format!("{}\n", &l[..cut])
        })
        .collect();
    std::fs::write(copy.join("rounds.csv"), &old).unwrap();
    let inv = skaraborgskartan::inventory::load(&copy, None).unwrap();
    assert!(inv.rounds.iter().all(|r| r.status == RoundStatus::Closed));
    let atlas = skaraborgskartan::atlas::Atlas::build(inv);
    assert_eq!(
        atlas.inventory.rounds[atlas.default_round].id,
        "uppfoljning-2024"
    );

    let bad = rounds.replacen(",open\n", ",öppen\n", 1);
    std::fs::write(copy.join("rounds.csv"), bad).unwrap();
    let problems = skaraborgskartan::inventory::load(&copy, None).unwrap_err();
    let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(
        text.iter().any(|p| p.contains("rounds.csv:3:7")
            && p.contains("status: ”öppen” är inget tillåtet värde (tillåtna: open, closed)")),
        "{text:?}"
    );
}

#[tokio::test]
async fn a_store_seeded_before_rounds_had_a_status_gets_the_column_once() {
    let (state, dir) = common::with_store(&common::geodata(), None).await;
    let store = state.store().unwrap();
    // Make it as an older version left it: no status in the header nor in the records.
    sqlx::query("UPDATE record_tables SET header = $1 WHERE name = 'rounds'")
        .bind(r#"["id","name","kind","collected","note","source"]"#)
        .execute(store.pool())
        .await
        .unwrap();
    for r in store.records(&ROUNDS).await.unwrap() {
        let mut fields = r.fields.clone();
        fields.remove("status");
        sqlx::query("UPDATE records SET fields = $1 WHERE kind = 'rounds' AND key = $2")
            .bind(serde_json::to_string(&fields).unwrap())
            .bind(&r.key)
            .execute(store.pool())
            .await
            .unwrap();
    }
    store.close().await;
    drop(state);
    for _ in 0..2 {
        let store = Store::open(dir.path()).await.unwrap();
        let header: String =
            sqlx::query_scalar("SELECT header FROM record_tables WHERE name = 'rounds'")
                .fetch_one(store.pool())
                .await
                .unwrap();
        assert_eq!(
            header, r#"["id","name","kind","collected","note","source","status"]"#,
            "appended once"
        );
        let files = store.files().await.unwrap();
        let text = files.text("rounds").unwrap();
        assert!(text.starts_with("id,name,kind,collected,note,source,status\n"));
        let inv = skaraborgskartan::inventory::load_from(&files, None, None).unwrap();
        assert!(
            inv.rounds.iter().all(|r| r.status == RoundStatus::Closed),
            "an empty status is closed"
        );
        store.close().await;
    }
}

#[tokio::test]
async fn a_closed_round_refuses_every_change_in_the_store_and_nothing_is_written() {
    let (state, _dir) = common::with_store(&common::geodata().join("example"), None).await;
    let store = state.store().unwrap();
    let key = "1472/abc/exempel-2024";
    let before = store.record(&OFFERINGS, key).await.unwrap().unwrap();
    let changes = change_count(&state).await;
    let closed = |e: EditError| match e {
        EditError::Closed { round } => round,
        other => panic!("not refused as closed: {other:?}"),
    };
    let save = answer(
        TIBRO,
        "abc",
        "exempel-2024",
        "not_offered",
        Some(before.version),
    );
    let e = state.commit(changeset(vec![save])).await.unwrap_err();
    assert_eq!(
        e.to_string(),
        "omgången ”Uppföljning 2024 (exempel)” är stängd: svaren kan inte längre ändras"
    );
    closed(e);
    let confirm = Edit::new(
        &OFFERINGS,
        Some(key.into()),
        Some(before.version),
        Action::Confirm,
    );
    closed(state.commit(changeset(vec![confirm])).await.unwrap_err());
    let remove = Edit::new(
        &OFFERINGS,
        Some(key.into()),
        Some(before.version),
        Action::Remove,
    );
    closed(state.commit(changeset(vec![remove])).await.unwrap_err());
    // A new answer in a closed round: its round after the change is closed.
    let new_key = "1472/icdp/exempel-2021";
    assert!(store.record(&OFFERINGS, new_key).await.unwrap().is_none());
    let new = answer(TIBRO, "icdp", "exempel-2021", "offered", None);
    closed(state.commit(changeset(vec![new])).await.unwrap_err());
    assert!(store.record(&OFFERINGS, new_key).await.unwrap().is_none());
    // A whole changeset is refused, also its edits of other records.
    let sambu = store.record(&SAMBU, TIBRO).await.unwrap().unwrap();
    let both = vec![
        Edit::new(
            &SAMBU,
            Some(TIBRO.into()),
            Some(sambu.version),
            Action::Confirm,
        ),
        answer(
            TIBRO,
            "abc",
            "exempel-2024",
            "not_offered",
            Some(before.version),
        ),
    ];
    closed(state.commit(changeset(both)).await.unwrap_err());
    assert_eq!(store.record(&SAMBU, TIBRO).await.unwrap().unwrap(), sambu);
    assert_eq!(
        store.record(&OFFERINGS, key).await.unwrap().unwrap(),
        before
    );
    assert_eq!(change_count(&state).await, changes, "nothing logged");

    // Revert: a change made while the round was open cannot be undone once it is closed.
    let round = store
        .record(&ROUNDS, "exempel-2024")
        .await
        .unwrap()
        .unwrap();
    let status = |s: &str, base: i64| {
        let mut e = Edit::new(
            &ROUNDS,
            Some("exempel-2024".into()),
            Some(base),
            Action::Save,
        );
        e.fields.insert("status".into(), s.into());
        e.source = round.field("source").into();
        e
    };
    // Opening the round and answering in it in one changeset: the edit sees it open.
    let opened = state
        .commit(changeset(vec![
            status("open", round.version),
            answer(
                TIBRO,
                "abc",
                "exempel-2024",
                "not_offered",
                Some(before.version),
            ),
        ]))
        .await
        .unwrap();
    let change = opened.changes[1].0;
    state
        .commit(changeset(vec![status("closed", round.version + 1)]))
        .await
        .unwrap();
    let revert = Edit::new(&OFFERINGS, Some(key.into()), None, Action::Revert(change));
    closed(state.commit(changeset(vec![revert])).await.unwrap_err());
    let now = store.record(&OFFERINGS, key).await.unwrap().unwrap();
    assert_eq!(now.field("status"), "not_offered");
    // The rest of the kommun's facts can still be changed.
    let sambu = Edit::new(
        &SAMBU,
        Some(TIBRO.into()),
        Some(sambu.version),
        Action::Confirm,
    );
    state.commit(changeset(vec![sambu])).await.unwrap();
}

#[tokio::test]
async fn the_desk_shows_a_closed_round_read_only_and_refuses_its_forms() {
    let (state, _dir) = common::with_store(&common::geodata(), None).await;
    let anna = person(&state, "anna@tibro.se", "redaktor", &[TIBRO]).await;
    let changes = change_count(&state).await;

    // No survey round is open: the desk shows the default round, closed, without edit buttons.
    let page = get(&state, "/admin/kommun/1472", &anna).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("Omgången <strong>Uppföljning 2023/24</strong> är stängd: svaren visas men kan inte längre ändras."), "{}", page.text);
    assert!(
        !page.text.contains(r#"href="/admin/kommun/1472/program/"#),
        "no edit link"
    );
    assert!(
        page.text.contains(r#"href="/admin/kommun/1472/sambu""#),
        "other facts stay editable"
    );
    let programmes = &page.text
        [page.text.find(r#"id="program""#).unwrap()..page.text.find(r#"id="sambu""#).unwrap()];
    assert!(!programmes.contains("Bekräfta oförändrat"), "{programmes}");
    let form = get(&state, "/admin/kommun/1472/program/abc", &anna).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text.contains("är stängd"), "{}", form.text);
    assert!(
        !form.text.contains(r#"<form class="redigera""#),
        "read-only"
    );
    let posted = post(
        &state,
        "/admin/kommun/1472/program/abc?omgang=uppfoljning-2024",
        &anna,
        &[
            ("version", ""),
            ("omgang", "uppfoljning-2024"),
            ("status", "offered"),
            ("source", "https://www.tibro.se/abc"),
        ],
    )
    .await;
    assert_eq!(posted.status, StatusCode::CONFLICT, "{}", posted.text);
    assert!(
        posted.text.contains("Omgången ”Uppföljning 2023/24” är stängd: svaren kan inte längre ändras. Inget har sparats."),
        "{}",
        posted.text
    );
    assert_eq!(change_count(&state).await, changes);

    // The sources collection is open: editable.
    let sources = get(&state, "/admin/kommun/1472?omgang=offentliga-kallor", &anna).await;
    assert!(!sources.text.contains("är stängd"));
    assert!(
        sources
            .text
            .contains(r#"href="/admin/kommun/1472/program/abc?omgang=offentliga-kallor""#),
        "{}",
        sources.text
    );

    // With a survey round open, the desk edits it by default.
    common::open_round(&state, "uppfoljning-2026", "Uppföljning 2026").await;
    let page = get(&state, "/admin/kommun/1472", &anna).await;
    assert!(
        page.text.contains(
            r#"<option value="uppfoljning-2026" selected>Uppföljning 2026 (öppen)</option>"#
        ),
        "{}",
        page.text
    );
    assert!(
        page.text
            .contains(r#"href="/admin/kommun/1472/program/abc""#)
    );
    let form = get(&state, "/admin/kommun/1472/program/abc", &anna).await;
    assert!(form.text.contains(r#"<form class="redigera""#));
    assert!(
        form.text
            .contains(r#"name="omgang" value="uppfoljning-2026""#)
    );
    let closed = get(&state, "/admin/kommun/1472?omgang=uppfoljning-2024", &anna).await;
    assert!(
        closed
            .text
            .contains("Svar samlas nu in i Uppföljning 2026."),
        "{}",
        closed.text
    );
}

#[tokio::test]
async fn the_progress_view_counts_answered_confirmed_and_unknown_per_kommun() {
    let (state, _dir) = common::with_store(&common::geodata().join("example"), None).await;
    let berit = person(&state, "berit@vgregion.se", "samordnare", &[]).await;
    let a = state.atlas();
    let r = a.round_index("exempel-2024").unwrap();
    let k = |code: &str| a.kommun_index(code).unwrap();
    // Counted by hand from geodata/example/offerings.csv (29 programmes in the catalogue):
    // answered = erbjuds or erbjuds inte in exempel-2024, confirmed = the same as in
    // exempel-2021, okänt = the rest.
    let p = a.progress(k("1496"), r);
    assert_eq!(
        (p.programmes, p.answered, p.confirmed, p.unknown),
        (29, 17, 14, 12)
    );
    let p = a.progress(k(TIBRO), r);
    assert_eq!((p.answered, p.confirmed, p.unknown), (11, 11, 18));
    let p = a.progress(k("1444"), r);
    assert_eq!((p.answered, p.confirmed, p.unknown), (8, 5, 21));
    // The first round has no previous one: nothing is confirmed in it.
    let first = a.round_index("exempel-2021").unwrap();
    let p = a.progress(k("1496"), first);
    assert_eq!((p.answered, p.confirmed, p.unknown), (16, 0, 13));

    let page = get(&state, "/admin/omgangar/exempel-2024", &berit).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    let t = &page.text;
    assert!(t.contains(r#"<a href="/admin/omgangar/exempel-2024/kommun/1496">Skövde</a></th><td data-label="Besvarade">17 av 29</td><td data-label="Bekräftade i omgången">14</td><td data-label="Okänt">12</td>"#), "{t}");
    assert!(t.contains(r#"<a href="/admin/omgangar/exempel-2024/kommun/1472">Tibro</a></th><td data-label="Besvarade">11 av 29</td><td data-label="Bekräftade i omgången">11</td><td data-label="Okänt">18</td>"#), "{t}");
    // All 15: 177 of 435 answered, 144 confirmed, 258 okänt.
    assert!(t.contains(r#"Alla 15 kommuner</th><td data-label="Besvarade">177 av 435</td><td data-label="Bekräftade i omgången">144</td><td data-label="Okänt">258</td>"#), "{t}");
    assert!(t.contains("samma svar som i Kartläggning 2021 (exempel)"));

    // A kommun's answers beside the previous round's, each linked to the desk's form.
    let kommun = get(&state, "/admin/omgangar/exempel-2024/kommun/1496", &berit).await;
    assert_eq!(kommun.status, StatusCode::OK);
    let t = &kommun.text;
    assert!(t.contains("Skövde i Uppföljning 2024 (exempel): 17 av 29 program besvarade, 14 bekräftade i omgången, 12 okänt."), "{t}");
    assert!(t.contains(r#"<th scope="col">Svar i Kartläggning 2021 (exempel)</th>"#));
    assert!(
        t.contains(r#"href="/admin/kommun/1496/program/abc?omgang=exempel-2024""#),
        "{t}"
    );
    assert_eq!(t.matches("bekräftat: samma som förra omgången").count(), 14);
    assert!(
        t.contains(">Visa<"),
        "a closed round's cells are shown, not edited"
    );

    // A redaktör sees only her own kommun, and not another's page.
    let anna = person(&state, "anna@tibro.se", "redaktor", &[TIBRO]).await;
    let page = get(&state, "/admin/omgangar/exempel-2024", &anna).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains(">Tibro</a>") && !page.text.contains(">Skövde</a>"));
    assert!(!page.text.contains("Alla 15 kommuner"));
    let other = get(&state, "/admin/omgangar/exempel-2024/kommun/1496", &anna).await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    let none = get(&state, "/admin/omgangar/finns-inte", &anna).await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
    assert!(
        none.text
            .contains("Det finns ingen omgång med koden ”finns-inte”.")
    );
}

#[tokio::test]
async fn a_round_is_created_closed_and_reopened_through_its_pages_and_each_step_is_logged() {
    let (state, _dir) = common::with_store(&common::geodata(), None).await;
    let berit = person(&state, "berit@vgregion.se", "samordnare", &[]).await;
    let anna = person(&state, "anna@tibro.se", "redaktor", &[TIBRO]).await;

    let list = get(&state, "/admin/omgangar", &berit).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.text
            .contains(r#"<a href="/admin/omgangar">Omgångar</a>"#),
        "in the menu"
    );
    assert!(list.text.contains("Ny omgång"));
    assert!(
        list.text
            .contains(r#"<td data-label="Status">stängd, visas på kartan</td>"#),
        "{}",
        list.text
    );

    // A bad period and a taken code: errors next to the fields, nothing made.
    let changes = change_count(&state).await;
    let bad = post(
        &state,
        "/admin/omgangar",
        &berit,
        &[
            ("version", ""),
            ("id", "uppfoljning-2024"),
            ("name", "X"),
            ("collected", "2026"),
            ("source", "https://x.example"),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.text
            .contains("Det finns redan en post med koden ”uppfoljning-2024”"),
        "{}",
        bad.text
    );
    let bad = post(
        &state,
        "/admin/omgangar",
        &berit,
        &[
            ("version", ""),
            ("id", "ny-2026"),
            ("name", "Ny"),
            ("collected", "våren"),
            ("source", "https://x.example"),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
    assert!(
        bad.text.contains(r##"href="#f-collected""##),
        "{}",
        bad.text
    );
    assert_eq!(change_count(&state).await, changes);

    let made = post(
        &state,
        "/admin/omgangar",
        &berit,
        &[
            ("version", ""),
            ("id", "uppfoljning-2026"),
            ("name", "Uppföljning 2026"),
            ("collected", "2026"),
            ("note", "Enkät till partssamverkansgrupperna."),
            ("source", "Samordnarens utskick 2026"),
        ],
    )
    .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.text);
    let a = state.atlas();
    let r = a.round_index("uppfoljning-2026").expect("made");
    let round = &a.inventory.rounds[r];
    assert_eq!(round.status, RoundStatus::Open);
    assert_eq!(round.kind, skaraborgskartan::vocabulary::RoundKind::Survey);
    assert_eq!(
        r,
        a.inventory.rounds.len() - 1,
        "last: rounds are chronological"
    );
    drop(a);

    // A redaktör answers in it; then the samordnare closes it after the summary.
    let saved = post(
        &state,
        "/admin/kommun/1472/program/abc",
        &anna,
        &[
            ("version", ""),
            ("status", "offered"),
            ("source", "https://www.tibro.se/abc"),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
    let summary = get(&state, "/admin/omgangar/uppfoljning-2026/stang", &berit).await;
    assert_eq!(summary.status, StatusCode::OK);
    assert!(
        summary.text.contains("1 av 15 kommuner har svar. Av 435 programsvar är 1 besvarade, 0 bekräftade i omgången och <strong>434 okänt</strong>."),
        "{}",
        summary.text
    );
    assert!(
        summary
            .text
            .contains("Kartan, sidorna och exporterna visar den sedan som den aktuella omgången.")
    );
    let version = hidden(&summary.text, "version");
    let closed = post(
        &state,
        "/admin/omgangar/uppfoljning-2026/stang",
        &berit,
        &[("version", &version), ("comment", "Alla har svarat")],
    )
    .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER, "{}", closed.text);
    assert!(
        closed
            .location
            .starts_with("/admin/omgangar/uppfoljning-2026?sparat=")
    );
    // Closing again from the same (old) page is a conflict, not a second change.
    let again = post(
        &state,
        "/admin/omgangar/uppfoljning-2026/stang",
        &berit,
        &[("version", &version)],
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    // Closed: the public pages show it, and the answer is frozen.
    let public = String::from_utf8(common::get(&state, "/kommun/1472").await.body).unwrap();
    assert!(public.contains("Uppföljning 2026"), "the default round now");
    assert!(!public.contains("pågående omgång"));
    let refused = post(
        &state,
        "/admin/kommun/1472/program/abc?omgang=uppfoljning-2026",
        &anna,
        &[
            ("version", "1"),
            ("omgang", "uppfoljning-2026"),
            ("status", "not_offered"),
            ("source", "https://www.tibro.se/abc"),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text);

    // Opening an open round, or closing a closed one, changes nothing.
    let twice = post(
        &state,
        "/admin/omgangar/offentliga-kallor/oppna",
        &berit,
        &[],
    )
    .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert!(
        twice
            .text
            .contains("Omgången ”Offentliga källor” är redan öppen."),
        "{}",
        twice.text
    );
    // Reopened: editable again.
    let list = get(&state, "/admin/omgangar", &berit).await;
    assert!(
        list.text
            .contains(r#"action="/admin/omgangar/uppfoljning-2026/oppna""#),
        "{}",
        list.text
    );
    let reopened = post(
        &state,
        "/admin/omgangar/uppfoljning-2026/oppna",
        &berit,
        &[],
    )
    .await;
    assert_eq!(reopened.status, StatusCode::SEE_OTHER, "{}", reopened.text);
    let a = state.atlas();
    assert_eq!(a.open_round(), a.round_index("uppfoljning-2026"));
    drop(a);

    // The history: created, closed (with the comment), reopened, each old → new.
    let store = state.store().unwrap();
    let filter = HistoryFilter {
        kind: Some("rounds".into()),
        key: Some("uppfoljning-2026".into()),
        ..HistoryFilter::default()
    };
    let (changes, n) = log::changes(store, &filter, 10, 0).await.unwrap();
    assert_eq!(n, 3);
    let status_of = |c: &log::Change| {
        c.fields
            .iter()
            .find(|f| f.field == "status")
            .map(|f| (f.old.clone(), f.new.clone()))
    };
    assert_eq!(status_of(&changes[0]), Some((None, Some("open".into()))));
    assert_eq!(
        status_of(&changes[1]),
        Some((Some("open".into()), Some("closed".into())))
    );
    assert_eq!(changes[1].comment, "Alla har svarat");
    assert_eq!(changes[1].actor, "berit@vgregion.se");
    assert_eq!(
        status_of(&changes[2]),
        Some((Some("closed".into()), Some("open".into())))
    );
    assert_eq!(changes[2].comment, "Omgången öppnad igen");
    let history = get(&state, "/admin/historik?typ=rounds", &berit).await;
    assert!(history.text.contains("3 ändringar"), "{}", history.text);
    assert!(
        history.text.contains("<td>öppen</td><td>stängd</td>"),
        "{}",
        history.text
    );
    assert!(history.text.contains("<td>stängd</td><td>öppen</td>"));
}

#[tokio::test]
async fn a_redaktor_cannot_create_close_or_reopen_a_round() {
    let (state, _dir) = common::with_store(&common::geodata(), None).await;
    let anna = person(&state, "anna@tibro.se", "redaktor", &[TIBRO]).await;
    common::open_round(&state, "uppfoljning-2026", "Uppföljning 2026").await;
    let changes = change_count(&state).await;

    let list = get(&state, "/admin/omgangar", &anna).await;
    assert_eq!(list.status, StatusCode::OK, "she may see the rounds");
    assert!(!list.text.contains("Ny omgång") && !list.text.contains("/stang"));
    let made = post(
        &state,
        "/admin/omgangar",
        &anna,
        &[
            ("version", ""),
            ("id", "egen"),
            ("name", "Egen"),
            ("collected", "2026"),
            ("source", "https://x.example"),
        ],
    )
    .await;
    assert_eq!(made.status, StatusCode::FORBIDDEN);
    assert!(
        made.text
            .contains("Omgångar skapas, stängs och öppnas bara av samordnaren")
    );
    for uri in [
        "/admin/omgangar/uppfoljning-2026/stang",
        "/admin/omgangar/uppfoljning-2024/oppna",
    ] {
        assert_eq!(
            post(&state, uri, &anna, &[]).await.status,
            StatusCode::FORBIDDEN,
            "{uri}"
        );
    }
    assert_eq!(
        get(&state, "/admin/omgangar/uppfoljning-2026/stang", &anna)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(change_count(&state).await, changes, "nothing logged");
    let a = state.atlas();
    assert_eq!(a.open_round(), a.round_index("uppfoljning-2026"));
    assert!(a.round_index("egen").is_none());
}
