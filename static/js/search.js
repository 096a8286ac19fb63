// The search page: Pagefind's UI over the index `brief build` writes into pagefind/.
// The query comes from ?q= (the header's search form works without JavaScript by
// sending readers here), and the address follows what is typed, so a search can be shared.
(function () {
  "use strict";
  const box = document.getElementById("brief-search");
  if (!box || typeof PagefindUI === "undefined") return;
  const ui = new PagefindUI({
    element: "#brief-search",
    bundlePath: box.dataset.bundle,
    baseUrl: box.dataset.base,
    showImages: false,
    showSubResults: false, // briefs are short; a sub-result would name whichever heading came last (often "Key Takeaways")
    resetStyles: false,
    autofocus: !new URLSearchParams(location.search).get("q"),
  });
  // Pagefind's input is named by its placeholder alone, and its form carries a
  // javascript: action; give the input the page's heading as its label, and the form
  // this page as its action (Pagefind handles the submit itself).
  const mend = () => {
    const input = box.querySelector(".pagefind-ui__search-input");
    if (input && !input.hasAttribute("aria-labelledby")) input.setAttribute("aria-labelledby", "brief-search-title");
    const form = box.querySelector("form[action^='javascript:']");
    if (form) form.setAttribute("action", location.pathname);
  };
  mend();
  new MutationObserver(mend).observe(box, { childList: true, subtree: true });
  const query = new URLSearchParams(location.search).get("q");
  const header = document.getElementById("brief-search-q");
  if (query) {
    ui.triggerSearch(query);
    if (header) header.value = query;
  }
  box.addEventListener("input", (event) => {
    if (!event.target.matches("input[type=text], input[type=search]")) return;
    const url = new URL(location.href);
    if (event.target.value) url.searchParams.set("q", event.target.value);
    else url.searchParams.delete("q");
    history.replaceState(null, "", url);
  });
})();
