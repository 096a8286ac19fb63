// brief serve: live reload. Added only to pages the preview server sends.
// Events come from /__brief/live-worker.js, a SharedWorker holding the browser's one
// connection to /__brief/events for all its tabs; where SharedWorker is missing (or fails
// to start) the tab opens its own connection.
(() => {
  "use strict";
  const EVENTS = "/__brief/events";
  const WORKER = "/__brief/live-worker.js";
  const KEY = "brief-scroll:" + location.pathname;
  // Where the page was before a live reload. Until it is restored (at "load"), a second
  // reload keeps that place: the scroll position of a page still loading is not it.
  let pending = sessionStorage.getItem(KEY);
  if (pending !== null) {
    sessionStorage.removeItem(KEY);
    const restore = () => {
      window.scrollTo(0, Number(pending));
      pending = null;
    };
    if (document.readyState === "complete") restore(); else window.addEventListener("load", restore);
  }

  let connectedBefore = false;

  function reload() {
    sessionStorage.setItem(KEY, pending !== null ? pending : String(window.scrollY));
    location.reload();
  }

  function swapStylesheets() {
    // Each stylesheet gets a fresh copy that replaces it once loaded. A copy still loading
    // from an earlier change is dropped, so quick successive saves never pile up links.
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      if (link.dataset.briefPending) {
        link.remove();
        continue;
      }
      const url = new URL(link.href);
      url.searchParams.set("brief-reload", String(Date.now()));
      const fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.dataset.briefPending = "1";
      fresh.addEventListener("load", () => {
        if (!fresh.isConnected) return;
        delete fresh.dataset.briefPending;
        link.remove();
      });
      fresh.addEventListener("error", () => fresh.remove());
      link.after(fresh);
    }
  }

  // The problems overlay: a modal <dialog> (above everything, the page behind it inert) in
  // a shadow root, so that the page's styles do not reach it nor its styles the page. Text
  // from the site's files only ever goes in through textContent. The close button or Escape
  // hides it until the next failing rebuild; a successful one reloads the page.
  const OVERLAY_CSS = `
    :host { all: initial; }
    dialog { box-sizing: border-box; position: fixed; inset: 0; width: 100%; height: 100%;
      max-width: none; max-height: none; margin: 0; padding: 0; border: 0; overflow: auto;
      overscroll-behavior: contain; background: #fff; color: #1c1b19;
      font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color-scheme: light; }
    dialog::backdrop { background: #fff; }
    header { position: sticky; top: 0; z-index: 1; display: flex; gap: 1rem; align-items: flex-start;
      justify-content: space-between; padding: 1rem max(1rem, calc((100% - 60rem) / 2)) .75rem;
      background: inherit; border-bottom: 1px solid #d6d4ce; }
    h2 { margin: 0; font-size: 1.2rem; line-height: 1.35; color: #a4161a; overflow-wrap: anywhere; }
    header p { margin: .25rem 0 0; font-size: .9rem; color: #4a4945; }
    button { flex: none; min-width: 44px; min-height: 44px; padding: .4rem .9rem; font: inherit;
      font-weight: 600; color: inherit; background: transparent; border: 2px solid currentColor;
      border-radius: 6px; cursor: pointer; }
    button:hover { background: #efeee9; }
    button:focus-visible, pre:focus-visible { outline: 3px solid #1449a0; outline-offset: 2px; }
    ol { list-style: none; margin: 0 auto; padding: 0 1rem 2rem; max-width: 60rem; }
    li { margin: 1.25rem 0 0; padding-left: .75rem; border-left: 4px solid #b3261e; }
    li.warning { border-left-color: #7a5500; }
    h3 { margin: 0; font: 600 1rem/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
      overflow-wrap: anywhere; }
    .severity { display: inline-block; margin-right: .25rem; padding: 0 .4rem; border-radius: 4px;
      font: 700 .75rem/1.6 system-ui, sans-serif; text-transform: uppercase; letter-spacing: .04em;
      vertical-align: .1em; background: #b3261e; color: #fff; }
    .warning .severity { background: #7a5500; }
    li > p { margin: .3rem 0 .6rem; overflow-wrap: anywhere; }
    pre { margin: 0; padding: .4rem 0; overflow-x: auto; background: #f4f3ef; border: 1px solid #d6d4ce;
      border-radius: 6px; font: 13px/1.55 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
    .lines { display: inline-block; min-width: 100%; }
    .row { display: block; padding-right: .75rem; white-space: pre; background: none; color: inherit; }
    .gutter { padding: 0 .25rem 0 .75rem; color: #5c5b56; user-select: none; }
    mark.row { background: #fbe0de; }
    mark .gutter { color: #8e1b17; font-weight: 700; }
    @media (max-height: 30rem) { header { position: static; } }
    @media (prefers-color-scheme: dark) {
      dialog, dialog::backdrop { background: #141413; color: #ecebe7; color-scheme: dark; }
      header { border-bottom-color: #3b3a36; }
      h2 { color: #ffb4ab; }
      header p { color: #c4c2bb; }
      button:hover { background: #26251f; }
      button:focus-visible, pre:focus-visible { outline-color: #8ab4f8; }
      li { border-left-color: #ff8f87; }
      li.warning { border-left-color: #e0b45a; }
      .severity { background: #ffb4ab; color: #2b0a08; }
      .warning .severity { background: #e0b45a; color: #241a00; }
      pre { background: #1f1f1d; border-color: #3b3a36; }
      .gutter { color: #a9a79f; }
      mark.row { background: #4c1d1a; }
      mark .gutter { color: #ffb4ab; }
    }`;

  let broken = false; // the latest build failed: the next good one reloads the page
  let overlay = null; // { host, dialog, title, list } while the overlay is shown

  function element(name, className, text) {
    const node = document.createElement(name);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function styled(root) {
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(OVERLAY_CSS);
      root.adoptedStyleSheets = [sheet];
    } catch (error) {
      root.append(element("style", "", OVERLAY_CSS));
    }
  }

  function excerptOf(lines) {
    // The same gutter as the terminal's: "> 12 | text" on the offending line.
    const width = String(lines[lines.length - 1].number).length;
    const pre = element("pre");
    pre.tabIndex = 0; // a long line scrolls: keyboard users can scroll it too
    const block = element("span", "lines");
    for (const line of lines) {
      const row = element(line.marked ? "mark" : "span", "row");
      const gutter = `${line.marked ? ">" : " "} ${String(line.number).padStart(width)} | `;
      row.append(element("span", "gutter", gutter), document.createTextNode(line.text));
      block.append(row);
    }
    pre.append(block);
    return pre;
  }

  function problemItem(problem) {
    const item = element("li", problem.severity);
    const heading = element("h3");
    heading.append(element("span", "severity", problem.severity), " ", problem.where);
    item.append(heading, element("p", "", problem.what));
    if (problem.excerpt && problem.excerpt.length) item.append(excerptOf(problem.excerpt));
    return item;
  }

  function openOverlay() {
    const host = element("div");
    host.id = "brief-problems";
    const root = host.attachShadow({ mode: "open" });
    styled(root);
    const dialog = element("dialog");
    dialog.setAttribute("role", "alertdialog");
    dialog.setAttribute("aria-labelledby", "brief-problems-title");
    dialog.setAttribute("aria-describedby", "brief-problems-note");
    const header = element("header");
    const heading = element("div");
    const title = element("h2");
    title.id = "brief-problems-title";
    const note = element("p", "", "The preview still shows the last good version; it reloads once the site builds again.");
    note.id = "brief-problems-note";
    const close = element("button", "", "Close");
    close.type = "button";
    close.autofocus = true;
    close.addEventListener("click", () => dialog.close());
    heading.append(title, note);
    header.append(heading, close);
    const list = element("ol");
    dialog.append(header, list);
    // Closed by the button or Escape (the dialog's own cancel): gone until the next failure.
    dialog.addEventListener("close", () => {
      host.remove();
      if (overlay && overlay.host === host) overlay = null;
    });
    root.append(dialog);
    (document.body || document.documentElement).append(host);
    overlay = { host, dialog, title, list };
    dialog.showModal();
  }

  function showProblems(data) {
    broken = true;
    // A failure while the overlay is open updates it in place (its scroll position kept).
    if (!overlay) openOverlay();
    overlay.title.textContent = `The site has problems: ${data.summary}`;
    overlay.list.replaceChildren(...data.problems.map(problemItem));
  }

  function reloadIfShown(data) {
    // The server lists the pages that changed; null means every page.
    let paths = null;
    try { paths = JSON.parse(data).paths; } catch (error) { paths = null; }
    const here = decodeURI(location.pathname).replace(/index\.html$/, "");
    if (broken || paths === null || paths.some((path) => decodeURI(path) === here)) reload();
  }

  const handlers = {
    hello() {
      // A second hello means the server restarted: the site may have changed meanwhile.
      if (connectedBefore || broken) reload();
      connectedBefore = true;
      window.__briefLive = true;
    },
    reload: reloadIfShown,
    update: reloadIfShown,
    css: () => (broken ? reload() : swapStylesheets()),
    problems(data) {
      connectedBefore = true;
      window.__briefLive = true;
      showProblems(JSON.parse(data));
    },
  };

  function handle(name, data) {
    if (Object.hasOwn(handlers, name)) handlers[name](data);
  }

  function ownConnection() {
    window.__briefLiveMode = "tab";
    const events = new EventSource(EVENTS);
    for (const name of Object.keys(handlers)) events.addEventListener(name, (event) => handle(name, event.data));
    events.addEventListener("error", () => {
      // A refused stream (503: the server serves as many browsers as it allows) is closed
      // for good: try again later. A dropped one reconnects by itself.
      if (events.readyState === EventSource.CLOSED) setTimeout(ownConnection, 5000 + Math.random() * 5000);
    });
  }

  function sharedConnection() {
    const worker = new SharedWorker(WORKER, { name: "brief-live" });
    let heard = false;
    worker.addEventListener("error", () => {
      if (!heard) ownConnection(); // the worker could not start: connect from this tab
    });
    worker.port.addEventListener("message", (event) => {
      heard = true;
      handle(event.data.name, event.data.data);
    });
    worker.port.start();
    window.__briefLiveMode = "shared";
    window.addEventListener("pagehide", () => worker.port.postMessage("bye"));
    // Back from the back/forward cache: the worker forgot this tab, and the page may be old.
    window.addEventListener("pageshow", (event) => event.persisted && location.reload());
  }

  if (typeof SharedWorker === "function") {
    try {
      sharedConnection();
    } catch (error) {
      ownConnection();
    }
  } else {
    ownConnection();
  }
})();
