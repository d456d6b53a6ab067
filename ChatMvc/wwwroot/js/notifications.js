// Desktop notifications, opted into with a button and remembered in this browser. While the tab is hidden, what the
// page's own poll brings in becomes a notification when the conversation's notification level allows it: no other
// request, no push service.
(function () {
    "use strict";

    var storageKey = "chatmvc.desktopNotifications";
    var seen = new Set();
    var counts = new Map();

    function wanted() {
        try {
            return localStorage.getItem(storageKey) === "on";
        } catch {
            return false;
        }
    }

    function remember(on) {
        try {
            localStorage.setItem(storageKey, on ? "on" : "off");
        } catch { /* storage unavailable: nothing to remember */ }
    }

    function enabled() {
        return wanted() && "Notification" in window && Notification.permission === "granted";
    }

    // chat.js keeps polling a hidden tab while this is true: the polls are what the notifications come from.
    window.chatNotifying = enabled;

    function notify(title, body, tag, href) {
        if (!document.hidden || !enabled()) {
            return;
        }
        var notice = new Notification(title, { body: body.length > 140 ? body.slice(0, 139) + "…" : body, tag: tag });
        notice.onclick = function () {
            window.focus();
            if (href && location.pathname + location.search !== href) {
                location.href = href;
            }
            notice.close();
        };
    }

    // The words as they show, without what is there only for screen readers (such as "(mention)").
    function visibleText(element) {
        var copy = element.cloneNode(true);
        copy.querySelectorAll(".visually-hidden").forEach(function (hidden) {
            hidden.remove();
        });
        return copy.textContent.replace(/\s+/g, " ").trim();
    }

    function setUpButton() {
        var button = document.getElementById("desktop-notifications");
        var status = document.getElementById("desktop-notifications-status");
        if (!button || !("Notification" in window)) {
            return;
        }
        function render() {
            button.setAttribute("aria-pressed", enabled() ? "true" : "false");
        }
        button.hidden = false;
        render();
        button.addEventListener("click", function () {
            if (enabled()) {
                remember(false);
                render();
                status.textContent = "Desktop notifications are off.";
                return;
            }
            Notification.requestPermission().then(function (permission) {
                remember(permission === "granted");
                render();
                status.textContent = permission === "granted"
                    ? "Desktop notifications are on while this tab is in the background."
                    : "The browser blocks notifications from this site: allow them in its site settings, then try again.";
            });
        });
    }

    // The conversation window: messages the poll appends to the log. A message replaced in place (an edit) has an id
    // already seen, so it does not notify again.
    function watchLog() {
        var log = document.getElementById("messages");
        var settings = document.getElementById("notification-level");
        if (!log || !settings) {
            return;
        }
        log.querySelectorAll("article.message").forEach(function (message) {
            seen.add(message.id);
        });
        new MutationObserver(function (changes) {
            changes.forEach(function (change) {
                change.addedNodes.forEach(function (node) {
                    if (node.nodeType !== 1 || !node.matches("article.message") || seen.has(node.id)) {
                        return;
                    }
                    seen.add(node.id);
                    var level = settings.dataset.level;
                    var mine = node.dataset.sender === settings.dataset.viewer;
                    var mentioned = node.classList.contains("message-mentions-me");
                    if (mine || level === "none" || (level === "mentions" && !mentioned)) {
                        return;
                    }
                    var sender = node.querySelector(".message-sender");
                    var body = node.querySelector(".message-body");
                    notify(
                        (sender ? sender.textContent.trim() : "New message") + (mentioned ? " mentioned you" : ""),
                        body ? visibleText(body) : "Photo",
                        node.id,
                        null);
                });
            });
        }).observe(log, { childList: true });
    }

    // The conversation list: each row's count already follows its level (everything, mentions or nothing), so a
    // count that grew is something to hear about.
    function readList(announce) {
        var list = document.getElementById("conversation-list");
        if (!list) {
            return;
        }
        list.querySelectorAll("li.conversation-row").forEach(function (row) {
            var unread = Number(row.dataset.unread || 0);
            var mentions = Number(row.dataset.mentions || 0);
            var before = counts.get(row.id);
            counts.set(row.id, { unread: unread, mentions: mentions });
            if (!announce || (before && unread <= before.unread && mentions <= before.mentions) || (!before && unread === 0)) {
                return;
            }
            var title = row.querySelector(".conversation-title");
            var preview = row.querySelector(".conversation-preview");
            var link = row.querySelector("a.conversation-link");
            notify(
                (title ? title.textContent.trim() : "Conversation") + (mentions > (before ? before.mentions : 0) ? ": you were mentioned" : ""),
                preview ? visibleText(preview) : "",
                row.id,
                link ? link.getAttribute("href") : null);
        });
    }

    document.addEventListener("DOMContentLoaded", function () {
        setUpButton();
        watchLog();
        readList(false);
    });

    document.addEventListener("htmx:afterSettle", function () {
        readList(true);
    });
})();
