// Progressive enhancement for the chat pages; everything works without this file.
(function () {
    "use strict";

    var storageKey = "chat.live";

    function paused() {
        try {
            return localStorage.getItem(storageKey) === "paused";
        } catch (e) {
            return false;
        }
    }

    // Polls run only while the tab is visible and the person has not paused live updates.
    window.chatLive = function () {
        return document.visibilityState === "visible" && !paused();
    };

    function renderToggle(button) {
        var isPaused = paused();
        button.setAttribute("aria-pressed", isPaused ? "true" : "false");
        button.textContent = isPaused ? "Resume live updates" : "Pause live updates";
    }

    document.addEventListener("DOMContentLoaded", function () {
        var toggle = document.getElementById("live-toggle");
        if (toggle) {
            toggle.hidden = false;
            renderToggle(toggle);
            toggle.addEventListener("click", function () {
                try {
                    localStorage.setItem(storageKey, paused() ? "live" : "paused");
                } catch (e) { /* storage unavailable: nothing to remember */ }
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
                    if (body.value.trim() !== "") {
                        body.form.requestSubmit();
                    }
                }
            });
        }

        // Open at the first unread message, or at the newest.
        var log = document.getElementById("messages");
        if (log) {
            var divider = document.getElementById("unread-divider");
            if (divider) {
                log.scrollTop = divider.offsetTop - log.offsetTop;
            } else {
                log.scrollTop = log.scrollHeight;
            }
        }

        document.addEventListener("visibilitychange", function () {
            if (document.visibilityState === "visible") {
                document.body.dispatchEvent(new CustomEvent("chatpollnow"));
            }
        });
    });

    // Follow new messages when the reader is already at the bottom; leave them be when reading older ones.
    var wasAtBottom = true;
    document.addEventListener("htmx:beforeSwap", function (event) {
        var log = document.getElementById("messages");
        if (log && event.detail.target === log) {
            wasAtBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
        }
    });
    document.addEventListener("htmx:afterSwap", function (event) {
        var log = document.getElementById("messages");
        var loadingOlder = event.detail.requestConfig && event.detail.requestConfig.path.indexOf("before=") >= 0;
        if (log && event.detail.target === log && wasAtBottom && !loadingOlder) {
            log.scrollTop = log.scrollHeight;
        }
    });

    // After a send: empty the composer and keep the focus there for the next message.
    document.addEventListener("message-sent", function () {
        var body = document.getElementById("message-body");
        if (body) {
            body.value = "";
            body.focus();
        }
    });
})();
