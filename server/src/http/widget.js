/* Switchboard's support widget for a host platform's pages:
 *   <script src="https://desk.example/widget.js" data-site="KEY" data-token="JWT" async></script>
 * A launcher button with the unread count opens a panel holding the member's support desk,
 * a frame from the desk's origin. The host talks to it with postMessage on its own window:
 *   window.postMessage({type: "switchboard:open", subject: "Invoice 42"}, location.origin)
 *   window.postMessage({type: "switchboard:close"}, location.origin)
 *   window.addEventListener("message", e => e.data.type === "switchboard:unread" && e.data.count)
 * Messages from any other origin or window are ignored. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__switchboardWidget) return;
  window.__switchboardWidget = true;
  var STRINGS = __STRINGS__;
  var desk = new URL(script.src, location.href).origin;
  var site = script.getAttribute("data-site") || "";
  var token = script.getAttribute("data-token") || "";
  var asked = (script.getAttribute("data-lang") || document.documentElement.lang || navigator.language || "en").toLowerCase();
  var lang = asked.indexOf("ru") === 0 ? "ru" : "en";
  var words = STRINGS[lang];
  var CSS =
    ".sbw-launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;width:56px;height:56px;border-radius:50%;border:0;" +
    "background:#2f5bd3;color:#fff;box-shadow:0 4px 14px rgba(0,0,0,.25);cursor:pointer;display:flex;align-items:center;justify-content:center}" +
    ".sbw-launcher:focus-visible{outline:3px solid #ffbf47;outline-offset:3px}" +
    ".sbw-launcher svg{width:26px;height:26px}" +
    ".sbw-badge{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#c62828;" +
    "color:#fff;font:600 12px/22px system-ui,sans-serif;text-align:center;box-sizing:border-box}" +
    ".sbw-badge[hidden]{display:none}" +
    ".sbw-panel{position:fixed;right:20px;bottom:88px;z-index:2147483001;width:400px;height:min(680px,calc(100vh - 110px));" +
    "background:#fff;border-radius:12px;box-shadow:0 10px 40px rgba(0,0,0,.3);display:flex;flex-direction:column;overflow:hidden}" +
    ".sbw-panel[hidden]{display:none}" +
    ".sbw-head{display:flex;align-items:center;justify-content:space-between;padding:6px 8px 6px 14px;background:#2f5bd3;color:#fff;" +
    "font:600 15px/1.4 system-ui,sans-serif}" +
    ".sbw-close{border:0;background:transparent;color:#fff;font-size:22px;line-height:1;width:36px;height:36px;border-radius:6px;cursor:pointer}" +
    ".sbw-close:focus-visible{outline:3px solid #ffbf47}" +
    ".sbw-frame{flex:1;border:0;width:100%}" +
    "@media (max-width:520px){.sbw-panel{inset:0;width:auto;height:auto;border-radius:0}.sbw-open .sbw-launcher{display:none}}";

  function start() {
    var style = document.createElement("style");
    style.textContent = CSS;
    document.head.appendChild(style);

    var root = document.createElement("div");
    root.className = "sbw-root";
    var name = "switchboard-" + Math.random().toString(36).slice(2);

    var launcher = document.createElement("button");
    launcher.type = "button";
    launcher.className = "sbw-launcher";
    launcher.setAttribute("aria-label", words.launcher);
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-controls", name + "-panel");
    launcher.innerHTML =
      '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';
    var badge = document.createElement("span");
    badge.className = "sbw-badge";
    badge.setAttribute("aria-hidden", "true");
    badge.hidden = true;
    launcher.appendChild(badge);

    var panel = document.createElement("div");
    panel.className = "sbw-panel";
    panel.id = name + "-panel";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", words.title);
    panel.hidden = true;
    var head = document.createElement("div");
    head.className = "sbw-head";
    var title = document.createElement("span");
    title.textContent = words.title;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "sbw-close";
    close.setAttribute("aria-label", words.close);
    close.textContent = "\u00d7";
    head.appendChild(title);
    head.appendChild(close);
    var frame = document.createElement("iframe");
    frame.className = "sbw-frame";
    frame.name = name;
    frame.title = words.title;
    frame.setAttribute("allow", "clipboard-write");
    panel.appendChild(head);
    panel.appendChild(frame);
    root.appendChild(panel);
    root.appendChild(launcher);
    document.body.appendChild(root);

    var ready = false;
    var waiting = [];
    function tell(message) {
      if (ready) frame.contentWindow.postMessage(message, desk);
      else waiting.push(message);
    }
    function open(subject) {
      panel.hidden = false;
      root.classList.add("sbw-open");
      launcher.setAttribute("aria-expanded", "true");
      if (subject) tell({ type: "switchboard:subject", subject: String(subject).slice(0, 200) });
      tell({ type: "switchboard:shown", shown: true });
      frame.focus();
    }
    function shut() {
      if (panel.hidden) return;
      panel.hidden = true;
      root.classList.remove("sbw-open");
      launcher.setAttribute("aria-expanded", "false");
      tell({ type: "switchboard:shown", shown: false });
      launcher.focus();
    }
    launcher.addEventListener("click", function () {
      if (panel.hidden) open(); else shut();
    });
    close.addEventListener("click", shut);
    panel.addEventListener("keydown", function (e) {
      if (e.key === "Escape") shut();
    });

    window.addEventListener("message", function (e) {
      var data = e.data;
      if (!data || typeof data !== "object" || typeof data.type !== "string") return;
      if (e.source === frame.contentWindow && e.origin === desk) {
        if (data.type === "switchboard:ready") {
          ready = true;
          waiting.splice(0).forEach(tell);
          tell({ type: "switchboard:shown", shown: !panel.hidden });
        } else if (data.type === "switchboard:unread") {
          var count = Math.max(0, data.count | 0);
          badge.textContent = count > 99 ? "99+" : String(count);
          badge.hidden = count === 0;
          launcher.setAttribute("aria-label", typeof data.label === "string" ? data.label : words.launcher);
          window.postMessage({ type: "switchboard:unread", count: count }, location.origin);
        } else if (data.type === "switchboard:close") {
          shut();
        }
      } else if (e.source === window && e.origin === location.origin) {
        if (data.type === "switchboard:open") open(data.subject);
        else if (data.type === "switchboard:close") shut();
      }
    });

    // The token goes to the desk as a form posted into the frame: the desk checks it, opens
    // the member's session there and shows their conversations.
    var form = document.createElement("form");
    form.method = "post";
    form.action = desk + "/widget/" + encodeURIComponent(site);
    form.target = name;
    form.style.display = "none";
    [["token", token], ["lang", lang]].forEach(function (field) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = field[0];
      input.value = field[1];
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
    form.remove();
  }

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
