// brief serve: live reload. Added only to pages the preview server sends.
(() => {
  "use strict";
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

  const events = new EventSource("/__brief/events");
  events.addEventListener("hello", () => {
    // A second hello means the server restarted: the site may have changed meanwhile.
    if (connectedBefore || overlay) reload();
    connectedBefore = true;
    window.__briefLive = true;
  });
  function reloadIfShown(event) {
    // The server lists the pages that changed; null means every page.
    let paths = null;
    try { paths = JSON.parse(event.data).paths; } catch (error) { paths = null; }
    const here = decodeURI(location.pathname).replace(/index\.html$/, "");
    if (overlay || paths === null || paths.some((path) => decodeURI(path) === here)) reload();
  }
  events.addEventListener("reload", reloadIfShown);
  events.addEventListener("update", reloadIfShown);
  events.addEventListener("css", () => (overlay ? reload() : swapStylesheets()));
  events.addEventListener("problems", (event) => {
    connectedBefore = true;
    window.__briefLive = true;
    showProblems(JSON.parse(event.data));
  });
})();
