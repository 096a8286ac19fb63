// brief serve: live reload. Added only to pages the preview server sends.
// Events come from /__brief/live-worker.js, a SharedWorker holding the browser's one
// connection to /__brief/events for all its tabs; where SharedWorker is missing (or fails
// to start) the tab opens its own connection.
(() => {
  "use strict";
  const EVENTS = "/__brief/events";
  const WORKER = "/__brief/live-worker.js";
  const KEY = "brief-scroll:" + location.pathname;
  const saved = sessionStorage.getItem(KEY);
  if (saved !== null) {
    sessionStorage.removeItem(KEY);
    const restore = () => window.scrollTo(0, Number(saved));
    if (document.readyState === "complete") restore(); else window.addEventListener("load", restore);
  }

  let overlay = null;
  let connectedBefore = false;

  function reload() {
    sessionStorage.setItem(KEY, String(window.scrollY));
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

  function showProblems(problems) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "brief-problems";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
        "background:rgba(20,20,19,.94);color:#fff;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace";
      document.body.append(overlay);
    }
    overlay.replaceChildren();
    const title = document.createElement("h2");
    title.textContent = "brief: the site has problems (still showing the last good version)";
    title.style.cssText = "font:bold 16px/1.4 system-ui,sans-serif;margin:0 0 1rem;color:#ffb4ab";
    const list = document.createElement("ul");
    list.style.cssText = "margin:0;padding:0;list-style:none";
    for (const text of problems) {
      const item = document.createElement("li");
      item.textContent = text;
      item.style.cssText = "margin:0 0 .5rem;white-space:pre-wrap;overflow-wrap:anywhere";
      list.append(item);
    }
    overlay.append(title, list);
  }

  function reloadIfShown(data) {
    // The server lists the pages that changed; null means every page.
    let paths = null;
    try { paths = JSON.parse(data).paths; } catch (error) { paths = null; }
    const here = decodeURI(location.pathname).replace(/index\.html$/, "");
    if (overlay || paths === null || paths.some((path) => decodeURI(path) === here)) reload();
  }

  const handlers = {
    hello() {
      // A second hello means the server restarted: the site may have changed meanwhile.
      if (connectedBefore || overlay) reload();
      connectedBefore = true;
      window.__briefLive = true;
    },
    reload: reloadIfShown,
    update: reloadIfShown,
    css: () => (overlay ? reload() : swapStylesheets()),
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
