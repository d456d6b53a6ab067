// Reactions and replies, with JavaScript; both work without this file.
(function () {
    "use strict";

    function focusLost() {
        var active = document.activeElement;
        return !active || active === document.body || !active.isConnected;
    }

    // A reaction changed here (reaction-changed, from the server): say so politely, and keep the focus on that
    // reaction's button, or on its message's menu once the last of that reaction is gone.
    document.addEventListener("reaction-changed", function (event) {
        var detail = event.detail || {};
        var status = document.getElementById("reaction-status");
        if (status) {
            // Emptied first, so the same words said twice in a row are heard twice.
            status.textContent = "";
            window.setTimeout(function () {
                status.textContent = detail.said || "";
            }, 50);
        }
        var button = detail.button ? document.getElementById(detail.button) : null;
        if (button) {
            button.focus();
            return;
        }
        var message = document.getElementById("message-" + detail.id);
        if (!message || !focusLost()) {
            return;
        }
        var summary = message.querySelector(".message-menu summary");
        if (summary) {
            summary.focus();
        } else {
            message.setAttribute("tabindex", "-1");
            message.focus();
        }
    });

    // The picker arrives in a message's menu when the menu first opens, in place of the link to the reaction page. If
    // the keyboard was on that link, it goes on to the first choice rather than back to the top of the page.
    document.addEventListener("htmx:load", function (event) {
        var picker = event.target;
        if (picker instanceof Element && picker.matches(".message-menu .reaction-picker") && focusLost()) {
            var first = picker.querySelector("button");
            if (first) {
                first.focus();
            }
        }
    });

    // A refused reaction comes back (400) as the message with the reason in its open menu: show it. (The event's elt is
    // the swap's target, the message; the request names the form that sent it.)
    document.addEventListener("htmx:beforeSwap", function (event) {
        var config = event.detail.requestConfig || {};
        var form = config.elt;
        var fromPicker = form && form.closest ? !!form.closest(".reaction-picker") : /\/reactions$/.test(config.path || "");
        if (event.detail.xhr && event.detail.xhr.status === 400 && fromPicker) {
            event.detail.shouldSwap = true;
            event.detail.isError = false;
        }
    });

    // Reply: with the composer on the page, only the quote is fetched into it; elsewhere (an older page) the link
    // opens the window with the quote, as it does without JavaScript.
    document.addEventListener("click", function (event) {
        if (!(event.target instanceof Element) || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
            return;
        }
        var slot = document.getElementById("reply-slot");
        var reply = event.target.closest("a.reply-link");
        if (reply && slot && window.htmx) {
            event.preventDefault();
            var menu = reply.closest("details");
            if (menu) {
                menu.open = false;
            }
            window.htmx.ajax("GET", reply.getAttribute("data-reply-quote"), { target: slot, swap: "innerHTML" });
            return;
        }
        var cancel = event.target.closest("#reply-slot a.cancel-reply");
        if (cancel) {
            event.preventDefault();
            slot.innerHTML = "";
            focusComposer();
        }
    });

    function focusComposer() {
        var body = document.getElementById("message-body");
        if (body) {
            body.focus();
        }
    }

    document.addEventListener("reply-ready", focusComposer);

    // Sent: the next message is no longer a reply.
    document.addEventListener("message-sent", function () {
        var slot = document.getElementById("reply-slot");
        if (slot) {
            slot.innerHTML = "";
        }
    });
})();
