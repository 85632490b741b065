"""The review app's routes: thin adapters that check the session, parse the form, call the store, render."""

from __future__ import annotations

import hmac
import secrets
import threading
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse

from synthesis.coding.codebook import Code
from synthesis.errors import SynthesisError
from synthesis.review import auth
from synthesis.review.agreement import agreement, disagreements
from synthesis.review.app import SESSION_COOKIE, codebook_of, current_codebook, render, wants_fragment
from synthesis.review.codebook_edit import (LANGUAGES, CodebookInUse, add_subcode, edit_code, parse_code_form,
                                            save_codebook)
from synthesis.review.forms import FormError, filter_query, highlight, is_number, parse_filter, parse_labels
from synthesis.store.codebooks import StaleCodebookError
from synthesis.store.reviews import ADJUDICATION, REVIEW, NewReview, QueueFilter, ReviewItem, Span
from synthesis.store.users import Session

router = APIRouter()
LOGIN_CSRF = "synthesis_login_csrf"
MAX_MEMO = 5000
CLAIM_LOOKAHEAD = 25  # queue items read to find one no other reviewer has open


def _store(request: Request):
    return request.app.state.store


def _session(request: Request) -> Session:
    session = auth.find_session(_store(request), request.cookies.get(SESSION_COOKIE))
    if session is None:
        raise HTTPException(401, "Not logged in, or the session has expired: log in again.")
    request.state.session = session
    return session


async def _checked(request: Request, session: Session = Depends(_session)) -> Session:
    """The session of a state-changing request whose CSRF token (form field or X-CSRF-Token header) matches."""
    form = await request.form()
    sent = request.headers.get("x-csrf-token") or str(form.get("csrf") or "")
    if not hmac.compare_digest(sent.encode(), session.csrf.encode()):
        raise HTTPException(403, "Missing or wrong CSRF token: reload the page and try again.")
    return session


def _admin(session: Session = Depends(_session)) -> Session:
    if not session.user.is_admin:
        raise HTTPException(403, "Only an admin may do this.")
    return session


async def _checked_admin(session: Session = Depends(_checked)) -> Session:
    return _admin(session)


def _cookie(response, name: str, value: str, request: Request, max_age: int | None = None) -> None:
    config = request.app.state.config
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="strict",
                        secure=config.secure_cookies, path="/")


# --- logging in and out ---

def _local(target: str) -> str:
    """``target`` where it is a page of this app (a path, not another site's address), else the queue."""
    return target if target.startswith("/") and not target.startswith(("//", "/\\")) else "/queue"


@router.get("/login")
def login_page(request: Request, back: str = Query("/queue", alias="next", max_length=2000)):
    # a login page open in another tab keeps working: the token is made once per browser, not per page
    token = request.cookies.get(LOGIN_CSRF) or secrets.token_urlsafe(24)
    response = render(request, "login.html", login_csrf=token, message="", next=_local(back))
    _cookie(response, LOGIN_CSRF, token, request, max_age=3600)
    return response


@router.post("/login")
def login(request: Request, name: str = Form("", max_length=64), password: str = Form("", max_length=1024),
          csrf: str = Form("", max_length=100), back: str = Form("/queue", alias="next", max_length=2000)):
    expected = request.cookies.get(LOGIN_CSRF, "")
    if not expected or not hmac.compare_digest(csrf.encode(), expected.encode()):
        raise HTTPException(403, "Missing or wrong CSRF token: reload the login page and try again.")
    limiter = request.app.state.limiter
    keys = limiter.keys(name, request.client.host if request.client else "?")
    wait = limiter.retry_after(keys)
    if wait:
        raise HTTPException(429, f"Too many failed logins: try again in {wait} s.", {"Retry-After": str(wait)})
    user = auth.authenticate(_store(request), name, password)
    if user is None:
        limiter.failed(keys)
        return render(request, "login.html", 401, login_csrf=expected, message="Wrong name or password.",
                      next=_local(back))
    config = request.app.state.config
    token, _ = auth.new_session(_store(request), user, config.session_hours)
    response = RedirectResponse(_local(back), status_code=303)
    _cookie(response, SESSION_COOKIE, token, request, max_age=int(config.session_hours * 3600))
    response.delete_cookie(LOGIN_CSRF)
    return response


@router.post("/logout")
def logout(request: Request, session: Session = Depends(_checked)):
    _store(request).end_session(auth.token_sha256(request.cookies[SESSION_COOKIE]))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


# --- the queue and the review form ---

def _filter(request: Request) -> QueueFilter:
    return parse_filter(request.query_params, [c.id for c in codebook_of(request).codes])


def _blind(item: ReviewItem, session: Session) -> bool:
    """Whether the other reviewers' names and labels are hidden from this user: a reviewer (not an admin) who has
    not saved a review of the segment yet. Double review is blind: the second coder codes without seeing the first."""
    return not session.user.is_admin and session.user.name not in item.reviewers


def _numbered(codes: tuple[Code, ...]) -> list[tuple[int | None, Code]]:
    """``(key number, code)`` in codebook order: top-level codes are numbered, sub-codes are not, so that adding a
    sub-code in the app does not renumber the codes after it (reviewers type the numbers from memory)."""
    numbered, number = [], 0
    for code in codes:
        if code.parent is None:
            number += 1
        numbered.append((number if code.parent is None else None, code))
    return numbered


def _item_context(request: Request, segment_id: int, flt: QueueFilter, session: Session) -> dict:
    store, codebook = _store(request), codebook_of(request)
    item = store.review_item(segment_id, store.model_version_in_use(), session.user.name)
    scores = {p.code: p for p in item.predictions}
    chosen = set(item.current.get("groups", [])) | set(item.current.get("causes", []))
    labels = {c.id: c.label for c in codebook.codes}
    codes = [{"number": n, "id": c.id, "label": c.label, "kind": c.kind, "checked": c.id in chosen,
              "parent": labels.get(c.parent, c.parent) if c.parent else None,
              "score": scores[c.id].score if c.id in scores else None,
              "predicted": c.id in scores and scores[c.id].selected}
             for n, c in _numbered(codebook.codes)]
    if "mentions" in item.current:
        spans = [Span(m["code"], m["start"], m["end"]) for m in item.current["mentions"]]
    else:
        spans = list(item.mentions)
    query = urlencode(filter_query(flt))
    # a consultation answer has no title of its own: its export's file name says where it comes from
    document = item.document_title or item.source_path.replace("\\", "/").rsplit("/", 1)[-1]
    return {"item": item, "codes": codes, "pieces": highlight(item.text, spans), "spans": spans, "ticked": chosen,
            "query": f"?{query}" if query else "", "filter": flt, "document": document,
            "blind": _blind(item, session), "keys": max((c["number"] or 0 for c in codes), default=0),
            "may_adjudicate": session.user.is_admin and len(item.reviewers) > 1}


def _show(request: Request, segment_id: int | None, flt: QueueFilter, session: Session, message: str = "",
          skipped: bool = False):
    """The item page (or, for htmx, the item fragment with the URL pushed); ``skipped``: the end was reached by
    skipping, so items may be left to review before it."""
    context = {"message": message, "filter": flt, "item": None, "skipped": skipped,
               "choices": _store(request).queue_choices(), "code_ids": [c.id for c in codebook_of(request).codes]}
    headers = {}
    if segment_id is not None:
        context.update(_item_context(request, segment_id, flt, session))
        headers["HX-Push-Url"] = f"/segments/{segment_id}{context['query']}"
    else:
        query = urlencode(filter_query(flt))
        context["query"] = f"?{query}" if query else ""
        headers["HX-Push-Url"] = f"/queue?{query}" if query else "/queue"
    if wants_fragment(request):
        return render(request, "_item.html", headers=headers, **context)
    return render(request, "queue.html", **context)


def _next(request: Request, session: Session, flt: QueueFilter, after: tuple[float, int] | None = None) -> int | None:
    """The next queue item for this reviewer: the first not open in another reviewer's browser (``ItemClaims``),
    else the first."""
    store, config = _store(request), request.app.state.config
    found = store.review_queue(store.model_version_in_use(), session.user.name, flt, config.double_review_share,
                               config.seed, after, limit=CLAIM_LOOKAHEAD)
    claims = request.app.state.claims
    return next((s for s, _ in found if claims.take(s, session.user.name)), found[0][0] if found else None)


@router.get("/")
def home():
    return RedirectResponse("/queue", status_code=303)


@router.get("/queue")
def queue_page(request: Request, session: Session = Depends(_session)):
    flt = _filter(request)
    return _show(request, _next(request, session, flt), flt, session)


@router.get("/segments/{segment_id}")
def segment_page(request: Request, segment_id: int, session: Session = Depends(_session)):
    request.app.state.claims.take(segment_id, session.user.name)  # open here: the queue gives it to nobody else
    return _show(request, segment_id, _filter(request), session)


@router.get("/segments/{segment_id}/next")
def skip(request: Request, segment_id: int, session: Session = Depends(_session)):
    flt = _filter(request)
    item = _store(request).review_item(segment_id, _store(request).model_version_in_use(), session.user.name)
    request.app.state.claims.release(segment_id, session.user.name)  # another reviewer may take it now
    next_id = _next(request, session, flt, (item.uncertainty, segment_id))
    if next_id is None:  # the end of the queue, not an empty one: what was skipped is still to review
        return _show(request, None, flt, session, skipped=True)
    return _after(request, next_id, flt, session, "")


def _after(request: Request, next_id: int | None, flt: QueueFilter, session: Session, message: str):
    if wants_fragment(request):
        return _show(request, next_id, flt, session, message)
    query = urlencode(filter_query(flt))
    target = f"/segments/{next_id}" if next_id is not None else "/queue"
    return RedirectResponse(target + (f"?{query}" if query else ""), status_code=303)


@router.post("/segments/{segment_id}/review")
def save_review(request: Request, segment_id: int, session: Session = Depends(_checked),
                base: str = Form(..., max_length=200), code: list[str] = Form([]), mention: list[str] = Form([]),
                memo: str = Form("", max_length=MAX_MEMO), adjudicate: str = Form("")):
    """Append a review (409 when the segment's labels changed since the form was loaded), then show the next item."""
    store, flt = _store(request), _filter(request)
    if adjudicate and not session.user.is_admin:
        raise HTTPException(403, "Only an admin may adjudicate.")
    if len(code) > 100 or len(mention) > 200:
        raise FormError("too many codes or mentions")
    version = store.model_version_in_use()
    item = store.review_item(segment_id, version, session.user.name)
    kinds = {c.id: c.kind for c in codebook_of(request).codes}
    labels = parse_labels(code, [m for m in mention if m.strip()], kinds, len(item.text))
    store.add_reviews([NewReview(segment_id, session.user.name, labels, memo.strip(), base,
                                 ADJUDICATION if adjudicate else REVIEW)], version)
    return _after(request, _next(request, session, flt, (item.uncertainty, segment_id)), flt, session,
                  f"Saved your review of segment {segment_id}.")


@router.get("/segments/{segment_id}/history")
def history(request: Request, segment_id: int, session: Session = Depends(_session)):
    """Every review of the segment; for a reviewer who has not reviewed it yet, none (double review is blind)."""
    store = _store(request)
    item = store.review_item(segment_id, store.model_version_in_use(), session.user.name)
    found = store.review_history(segment_id)
    if _blind(item, session):
        return render(request, "history.html", item=item, reviews=[], hidden=len(found))
    return render(request, "history.html", item=item, reviews=found, hidden=0)


# --- agreement, adjudication, themes, retraining ---

@router.get("/stats")
def stats(request: Request, session: Session = Depends(_session)):
    return render(request, "stats.html", stats=agreement(_store(request), codebook_of(request)),
                  share=request.app.state.config.double_review_share)


@router.get("/disagreements")
def disagreement_list(request: Request, session: Session = Depends(_admin)):
    """The open disagreements, each reviewer's labels with the memo of the review they come from."""
    store = _store(request)
    items = disagreements(store.double_reviewed())
    memos = {}
    for d in items:
        memos[d.segment_id] = {r.reviewer: r.memo for r in store.review_history(d.segment_id) if r.kind == REVIEW}
    return render(request, "disagreements.html", items=items, memos=memos)


@router.get("/themes")
def themes_page(request: Request, session: Session = Depends(_admin)):
    return render(request, "themes.html", themes=_store(request).themes(), message="")


@router.post("/themes/{theme_id}/rename")
def rename_theme(request: Request, theme_id: int, session: Session = Depends(_checked_admin),
                 label: str = Form(..., min_length=1, max_length=200)):
    try:
        _store(request).rename_theme(theme_id, label.strip(), session.user.name)
    except KeyError:
        raise HTTPException(404, f"theme {theme_id}: no such theme") from None
    return RedirectResponse("/themes", status_code=303)


@router.post("/themes/merge")
def merge_themes(request: Request, session: Session = Depends(_checked_admin), keep: int = Form(...),
                 other: int = Form(...)):
    if keep == other:
        raise FormError("choose two different themes to merge")
    try:
        _store(request).merge_themes(keep, other)
    except KeyError as error:
        raise HTTPException(404, f"theme {error.args[0]}: no such theme") from None
    return RedirectResponse("/themes", status_code=303)


@router.get("/admin")
def admin_page(request: Request, session: Session = Depends(_admin)):
    state = request.app.state.retrain
    return render(request, "admin.html", retrain=state, users=_store(request).list_users())


@router.post("/admin/retrain")
def start_retrain(request: Request, session: Session = Depends(_checked_admin)):
    """Retrain on the reviews and re-code the store, in a background thread (one at a time)."""
    from synthesis.review.retrain import retrain, unchanged_message

    state, config, store = request.app.state.retrain, request.app.state.config, _store(request)
    if not state["lock"].acquire(blocking=False):
        raise HTTPException(409, "A retraining is running already.")
    state.update(state="running", message=f"started by {session.user.name}")

    def job() -> None:
        try:
            result = retrain(config, store)
            if result.get("unchanged"):
                state.update(state="done", message=unchanged_message(result))
                return
            held_out = (f"; {result['reviews_held_out']} reviewed texts are gold dev, test or real-text texts and "
                        "were not trained on" if result.get("reviews_held_out") else "")
            state.update(state="done", message=f"model {result['version']} in {result['path']}; "
                                               f"{result['coding'].get('segments_coded', 0)} segments re-coded"
                                               + held_out)
        except SynthesisError as error:
            state.update(state="failed", message=str(error))
        except Exception as error:  # a bug: show it on /admin, and let it propagate to the thread's log
            state.update(state="failed", message=f"unexpected {error.__class__.__name__}: {error}")
            raise
        finally:
            state["lock"].release()

    threading.Thread(target=job, name="retrain", daemon=True).start()
    return RedirectResponse("/admin", status_code=303)


# --- the codebook ---

def _code_form(label: str = Form(""), description: str = Form(""), include: str = Form(""),
               exclude: str = Form(""), not_patterns: str = Form(""), patterns_en: str = Form(""),
               patterns_es: str = Form(""), patterns_fr: str = Form("")) -> dict:
    """The code fields as sent (parsed in the route, after the admin check), less NUL characters (pasted text may
    hold them; PostgreSQL stores none)."""
    plain = lambda value: value.replace("\x00", "")  # noqa: E731
    patterns = dict(zip(LANGUAGES, map(plain, (patterns_en, patterns_es, patterns_fr))))
    return {"label": plain(label), "description": plain(description), "include": plain(include),
            "exclude": plain(exclude), "not_patterns": plain(not_patterns), "patterns": patterns}


def _unchanged_since(request: Request, base: str) -> CodebookInUse:
    """The codebook in use, if it is still the version the form was loaded with (else 409)."""
    if not is_number(base):
        raise FormError("the form has no valid codebook version: reload the page")
    current = current_codebook(request.app)
    if int(base) != current.base:
        raise StaleCodebookError("the codebook changed since the page was loaded (another version was saved); "
                                 "reload it and make the edit again")
    return current


@router.get("/admin/codebook")
def codebook_page(request: Request, session: Session = Depends(_admin)):
    current = current_codebook(request.app)
    return render(request, "codebook.html", current=current, codebook=current.codebook, languages=LANGUAGES,
                  history=_store(request).codebook_history())


@router.post("/admin/codebook/codes/{code_id}")
def save_code(request: Request, code_id: str, session: Session = Depends(_checked_admin),
              base: str = Form(""), fields: dict = Depends(_code_form)):
    """Store the codebook with one code's label, description, notes and patterns changed, as a new version."""
    current = _unchanged_since(request, base)
    if code_id not in current.codebook:
        raise HTTPException(404, f"code {code_id[:64]!r}: not in the codebook")
    edited = edit_code(current, code_id, parse_code_form(**fields))
    save_codebook(_store(request), current, edited, session.user.name)
    return RedirectResponse(f"/admin/codebook#code-{code_id}", status_code=303)


@router.post("/admin/codebook/subcodes")
def save_subcode(request: Request, session: Session = Depends(_checked_admin), base: str = Form(""),
                 parent: str = Form(""), code_id: str = Form(""), fields: dict = Depends(_code_form)):
    """Store the codebook with a new sub-code under a top-level code, as a new version."""
    current = _unchanged_since(request, base)
    edited = add_subcode(current, parent, code_id, parse_code_form(**fields))
    save_codebook(_store(request), current, edited, session.user.name)
    return RedirectResponse(f"/admin/codebook#code-{code_id.strip()}", status_code=303)
