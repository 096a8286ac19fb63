/*
 * brief.js — progressive enhancement for the default theme.
 * Un-hides the "Copy link" buttons (they are hidden in the HTML so the page
 * works without JavaScript) and copies the canonical URL to the clipboard.
 * No dependencies, no network requests.
 */
(function () {
  "use strict";

  var RESET_AFTER_MS = 2500;

  function fallbackCopy(text) {
    return new Promise(function (resolve, reject) {
      var input = document.createElement("input");
      input.type = "text";
      input.value = text;
      input.setAttribute("readonly", "");
      input.setAttribute("aria-hidden", "true");
      input.tabIndex = -1;
      input.style.position = "fixed";
      input.style.top = "0";
      input.style.left = "0";
      input.style.opacity = "0";
      input.style.pointerEvents = "none";
      document.body.appendChild(input);
      var active = document.activeElement;
      input.focus();
      input.select();
      input.setSelectionRange(0, text.length);
      var ok = false;
      try {
        ok = document.execCommand("copy");
      } catch (err) {
        ok = false;
      }
      document.body.removeChild(input);
      if (active && typeof active.focus === "function") {
        active.focus();
      }
      if (ok) {
        resolve();
      } else {
        reject(new Error("copy failed"));
      }
    });
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () {
        return fallbackCopy(text);
      });
    }
    return fallbackCopy(text);
  }

  function createStatus() {
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    status.setAttribute("data-brief-status", "");
    document.body.appendChild(status);
    return status;
  }

  function announce(status, message) {
    // Clear first so that repeating the same message is announced again.
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = message;
    }, 50);
  }

  function init() {
    var buttons = document.querySelectorAll("button[data-copy-url]");
    if (!buttons.length) {
      return;
    }
    var status = createStatus();

    Array.prototype.forEach.call(buttons, function (button) {
      var label = button.textContent;
      var timer = null;

      function show(text, message, copied) {
        window.clearTimeout(timer);
        button.textContent = text;
        if (copied) {
          button.setAttribute("data-copied", "");
        }
        announce(status, message);
        timer = window.setTimeout(function () {
          button.textContent = label;
          button.removeAttribute("data-copied");
        }, RESET_AFTER_MS);
      }

      button.addEventListener("click", function () {
        var url = button.getAttribute("data-copy-url") || window.location.href;
        copyText(url).then(
          function () {
            show("Link copied", "Link copied to clipboard", true);
          },
          function () {
            show("Copy failed", "Could not copy the link. The address is " + url, false);
          }
        );
      });

      button.hidden = false;
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
