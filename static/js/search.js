// The search page: Pagefind's UI over the index `brief build` writes into pagefind/.
// The query comes from ?q= (the header's search form works without JavaScript by
// sending readers here), and the address follows what is typed, so a search can be shared.
(function () {
  "use strict";
  // Pagefind's excerpt of a match near the top of an article starts with (the end of) its
  // headline, which the result already shows as its title: drop those words and the full
  // stop Pagefind puts after a heading, keeping the excerpt's own markup (<mark>s).
  const words = (text) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];
  function withoutHeadline(excerpt, title) {
    const box = document.createElement("div");
    box.innerHTML = excerpt; // Pagefind's excerpt: its own escaped text and <mark> elements
    const text = box.textContent;
    const head = words(title);
    const stop = text.search(/[.!?:]\s/);
    if (!head.length || stop < 0) return excerpt;
    const lead = words(text.slice(0, stop));
    const tail = head.slice(head.length - lead.length);
    if (!lead.length || lead.join(" ") !== tail.join(" ")) return excerpt;
    let cut = stop + 1 + text.slice(stop + 1).match(/^\s*/)[0].length;
    if (cut >= text.length) return excerpt;
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    const emptied = [];
    while (cut > 0 && walker.nextNode()) {
      const node = walker.currentNode;
      const take = Math.min(cut, node.data.length);
      node.data = node.data.slice(take);
      cut -= take;
      if (!node.data) emptied.push(node.parentNode === box ? node : node.parentNode);
    }
    emptied.forEach((node) => node.remove());
    return box.innerHTML;
  }
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
    processResult: (result) => {
      result.excerpt = withoutHeadline(result.excerpt, (result.meta && result.meta.title) || "");
      return result;
    },
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
