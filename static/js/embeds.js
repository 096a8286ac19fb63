/*
 * embeds.js — click to load an embedded video, post, chart or map.
 * Each embed is a card (brief.render.embeds) whose frame carries the player's
 * URL in data-embed-src. Nothing is requested from the provider until the
 * reader presses the card's button; then an <iframe> with a title,
 * loading="lazy" and the provider's sandbox takes the card's place and gets
 * the focus. Without JavaScript the card's link leads to the provider's page.
 * No dependencies, no network requests of its own.
 */
(function () {
  "use strict";

  function load(frame) {
    var src = frame.getAttribute("data-embed-src") || "";
    if (!/^https:\/\//i.test(src)) {
      return;
    }
    var iframe = document.createElement("iframe");
    iframe.className = "embed-iframe";
    iframe.title = frame.getAttribute("data-embed-title") || "Embedded content";
    iframe.setAttribute("loading", "lazy");
    iframe.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    var sandbox = frame.getAttribute("data-embed-sandbox");
    if (sandbox !== null) {
      iframe.setAttribute("sandbox", sandbox);
    }
    var allow = frame.getAttribute("data-embed-allow");
    if (allow) {
      iframe.setAttribute("allow", allow);
      if (/\bfullscreen\b/.test(allow)) {
        iframe.setAttribute("allowfullscreen", "");
      }
    }
    iframe.src = src;
    while (frame.firstChild) {
      frame.removeChild(frame.firstChild);
    }
    frame.appendChild(iframe);
    frame.setAttribute("data-embed-loaded", "");
    iframe.focus();
  }

  function init() {
    var frames = document.querySelectorAll(".embed-frame[data-embed-src]");
    Array.prototype.forEach.call(frames, function (frame) {
      var button = frame.querySelector(".embed-load");
      var note = frame.querySelector(".embed-note");
      if (!button) {
        return;
      }
      button.addEventListener("click", function () {
        load(frame);
      });
      button.hidden = false;
      if (note) {
        note.hidden = false;
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
