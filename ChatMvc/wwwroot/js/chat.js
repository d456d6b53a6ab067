// Progressive enhancement for the chat pages; everything works without this file.
(function () {
    "use strict";

    var storageKey = "chat.live";

    function paused() {
        try {
            return localStorage.getItem(storageKey) === "paused";
        } catch {
            return false;
        }
    }

    // Polls run only while the tab is visible and the person has not paused live updates, or, in a hidden tab, while
    // they bring desktop notifications (notifications.js).
    window.chatLive = function () {
        var notifying = typeof window.chatNotifying === "function" && window.chatNotifying();
        return (document.visibilityState === "visible" || notifying) && !paused();
    };

    // The label stays "Pause live updates" and aria-pressed carries the state: a changing label as well would be
    // heard as "Resume live updates, pressed", which says the opposite.
    function renderToggle(button) {
        button.setAttribute("aria-pressed", paused() ? "true" : "false");
    }

    document.addEventListener("DOMContentLoaded", function () {
        var toggle = document.getElementById("live-toggle");
        if (toggle) {
            toggle.hidden = false;
            renderToggle(toggle);
            toggle.addEventListener("click", function () {
                try {
                    localStorage.setItem(storageKey, paused() ? "live" : "paused");
                } catch { /* storage unavailable: nothing to remember */ }
                renderToggle(toggle);
                if (!paused()) {
                    document.body.dispatchEvent(new CustomEvent("chatpollnow"));
                }
            });
        }

        var body = document.getElementById("message-body");
        if (body) {
            body.addEventListener("keydown", function (event) {
                if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
                    event.preventDefault();
                    if (body.value.trim() !== "" || fileChosen()) {
                        body.form.requestSubmit();
                    }
                }
            });
        }

        document.addEventListener("visibilitychange", function () {
            if (window.chatLive()) {
                document.body.dispatchEvent(new CustomEvent("chatpollnow"));
            }
        });
    });

    // The server says when a page of older messages came in (older-loaded). htmx moves the focus to the next
    // "Load older messages" link; after the last page there is none, so the focus goes to the log rather than
    // being lost.
    document.addEventListener("older-loaded", function () {
        var log = document.getElementById("messages");
        var focusLost = !document.activeElement || document.activeElement === document.body;
        if (log && focusLost) {
            log.focus();
        }
    });

    // Editing, saving, cancelling or deleting replaces the message, and the focused control with it; the server says
    // which message and whether it is now an editor (message-changed). Put the focus back on that message (its
    // editor, its actions menu, or the message itself once deleted) instead of the top of the page.
    document.addEventListener("message-changed", function (event) {
        var detail = event.detail || {};
        var focusLost = !document.activeElement || document.activeElement === document.body || !document.activeElement.isConnected;
        var message = document.getElementById("message-" + detail.id);
        if (!message || !focusLost) {
            return;
        }
        var target = detail.focus === "editor"
            ? message.querySelector("textarea")
            : message.querySelector(".message-menu summary");
        if (!target) {
            message.setAttribute("tabindex", "-1");
            target = message;
        }
        target.focus();
    });

    // A poll replaces a message someone edited or deleted. While that message is open in the editor here, keep the
    // draft (saving will show the outcome); while the focus is on one of its controls, put the focus back on the same
    // control of the new copy rather than losing it to the top of the page; a menu that was open stays open.
    var swappedMessage = null;
    var messageControls = "summary, a[href], button, textarea, input";
    // The message whose editor is on its way: a poll that replaced it meanwhile would leave the editor to arrive for a
    // copy no longer in the page, and the Edit click would do nothing.
    var openingEditor = null;
    function editorRequest(event) {
        var elt = event.detail.elt;
        var article = elt && elt.matches && elt.matches("a.edit-link") ? elt.closest("article.message") : null;
        return article ? article.id : null;
    }
    document.addEventListener("htmx:beforeRequest", function (event) {
        openingEditor = editorRequest(event) || openingEditor;
    });
    document.addEventListener("htmx:afterRequest", function (event) {
        if (editorRequest(event)) {
            openingEditor = null;
        }
    });
    document.addEventListener("htmx:oobBeforeSwap", function (event) {
        var target = event.detail.target;
        if (!target || !target.id) {
            return;
        }
        if (target.id === openingEditor) {
            event.detail.shouldSwap = false;
            return;
        }
        var active = document.activeElement;
        var focused = !!active && target.contains(active);
        if (focused && target.querySelector("textarea")) {
            event.detail.shouldSwap = false;
            return;
        }
        var menuOpen = !!target.querySelector("details.message-menu[open]");
        if (!focused && !menuOpen) {
            return;
        }
        var controls = Array.prototype.slice.call(target.querySelectorAll(messageControls));
        swappedMessage = { id: target.id, index: focused ? controls.indexOf(active) : -1, menuOpen: menuOpen };
    });
    document.addEventListener("htmx:afterSettle", function () {
        var swapped = swappedMessage;
        swappedMessage = null;
        var replaced = swapped && document.getElementById(swapped.id);
        if (!replaced) {
            return;
        }
        var menu = replaced.querySelector("details.message-menu");
        if (menu && swapped.menuOpen) {
            menu.open = true;
        }
        var focusLost = !document.activeElement || document.activeElement === document.body || !document.activeElement.isConnected;
        if (swapped.index < 0 || !focusLost) {
            return;
        }
        var target = replaced.querySelectorAll(messageControls)[swapped.index];
        if (!target) {
            replaced.setAttribute("tabindex", "-1");
            target = replaced;
        }
        // A control inside the actions menu can only take the focus with the menu open.
        var holder = target.tagName === "SUMMARY" ? null : target.closest("details");
        if (holder) {
            holder.open = true;
        }
        target.focus();
    });

    // htmx swaps nothing when a send fails (a server error, no connection): keep the text and say so.
    function sendFailed(event) {
        var error = document.getElementById("composer-error");
        if (error && event.detail.elt && event.detail.elt.id === "composer") {
            error.textContent = "Your message was not sent. Check your connection and try again.";
        }
    }
    document.addEventListener("htmx:responseError", sendFailed);
    document.addEventListener("htmx:sendError", sendFailed);

    // Polls skip their turn while the tab is hidden or live updates are paused. Done here rather than in an
    // hx-trigger filter because filters need eval, which the Content-Security-Policy does not allow.
    document.addEventListener("htmx:confirm", function (event) {
        var id = event.target && event.target.id;
        if ((id === "poller" || id === "conversation-list") && !window.chatLive()) {
            event.preventDefault();
        }
    });

    // After a send: empty the composer and keep the focus there for the next message.
    document.addEventListener("message-sent", function () {
        var body = document.getElementById("message-body");
        var photo = document.getElementById("message-image");
        var file = document.getElementById("message-file");
        var alt = document.getElementById("message-image-alt");
        if (photo) {
            photo.value = "";
        }
        if (file) {
            file.value = "";
        }
        if (alt) {
            alt.value = "";
        }
        if (body) {
            body.value = "";
            body.focus();
        }
    });

    function fileChosen() {
        return ["message-image", "message-file"].some(function (id) {
            var input = document.getElementById(id);
            return !!(input && input.files && input.files.length > 0);
        });
    }

    // A photo or file can take a while to upload: show how far it has got, and hide the bar when the request ends.
    document.addEventListener("htmx:xhr:progress", function (event) {
        var progress = document.getElementById("upload-progress");
        if (progress && event.target.id === "composer" && fileChosen() && event.detail.lengthComputable) {
            progress.hidden = false;
            progress.value = Math.round(event.detail.loaded / event.detail.total * 100);
        }
    });
    document.addEventListener("htmx:afterRequest", function (event) {
        var progress = document.getElementById("upload-progress");
        if (progress && event.target.id === "composer") {
            progress.hidden = true;
            progress.value = 0;
        }
    });
})();
