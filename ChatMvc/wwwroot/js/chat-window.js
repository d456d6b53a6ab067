// Progressive enhancement for the conversation window and the list beside it: where the window opens, following new
// messages, "Jump to latest" with a count of what arrived below, and the unread total in the tab title. Everything
// works without this file: the window's CSS opens it at the newest message or at the "New messages" divider.
(function () {
    "use strict";

    var nearEnd = 40;

    function scroller() {
        return document.getElementById("messages");
    }

    // On a tall enough screen the log scrolls by itself; otherwise it scrolls with the page.
    function scrollsItself(box) {
        return getComputedStyle(box).overflowY === "auto";
    }

    function atEnd(box) {
        if (scrollsItself(box)) {
            return box.scrollHeight - box.scrollTop - box.clientHeight < nearEnd;
        }
        return box.getBoundingClientRect().bottom - window.innerHeight < nearEnd;
    }

    function toEnd(box) {
        if (scrollsItself(box)) {
            box.scrollTop = box.scrollHeight;
        } else {
            var composer = document.getElementById("composer");
            (composer || box).scrollIntoView({ block: "end" });
        }
    }

    function toDivider(box, divider) {
        if (scrollsItself(box)) {
            var margin = parseFloat(getComputedStyle(divider).marginTop) || 0;
            box.scrollTop += divider.getBoundingClientRect().top - box.getBoundingClientRect().top - box.clientTop - margin;
        } else {
            divider.scrollIntoView({ block: "start" });
        }
    }

    var pending = 0;

    function renderPending(box) {
        var jump = document.getElementById("jump-latest");
        var status = document.getElementById("new-below");
        var away = !atEnd(box);
        if (!away) {
            pending = 0;
        }
        if (jump) {
            jump.hidden = !away;
        }
        if (status) {
            var text = pending === 0 ? "" : pending === 1 ? "1 new message below" : pending + " new messages below";
            if (status.textContent !== text) {
                status.textContent = text;
            }
        }
    }

    document.addEventListener("DOMContentLoaded", function () {
        var box = scroller();
        if (!box) {
            return;
        }
        // From here on the log runs top to bottom as usual, and this script decides where it is.
        box.classList.remove("opens-at-newest");
        var divider = document.getElementById("unread-divider");
        if (divider) {
            toDivider(box, divider);
        } else {
            toEnd(box);
        }

        var jump = document.getElementById("jump-latest");
        if (jump) {
            jump.addEventListener("click", function () {
                toEnd(box);
                renderPending(box);
                var composer = document.getElementById("message-body");
                if (composer) {
                    composer.focus();
                }
            });
        }
        box.addEventListener("scroll", function () {
            renderPending(box);
        }, { passive: true });
        window.addEventListener("scroll", function () {
            renderPending(box);
        }, { passive: true });
        renderPending(box);
    });

    // New messages (a poll, or one's own send) are appended to the log. Follow them when the reader is at the end
    // or has just sent; otherwise leave the reader where they are and say how many arrived below.
    var follow = true;
    var seen = null;

    // Counted by id: a message is new below only the first time it appears (older pages do not count).
    function countUnseen() {
        var added = 0;
        document.querySelectorAll("#messages article.message").forEach(function (message) {
            if (!seen.has(message.id) && !message.closest("#older-messages")) {
                seen.add(message.id);
                added++;
            }
        });
        return added;
    }

    document.addEventListener("htmx:beforeSwap", function (event) {
        var box = scroller();
        if (box && event.detail.target && event.detail.target.id === "messages") {
            var sender = event.detail.requestConfig && event.detail.requestConfig.elt;
            follow = atEnd(box) || !!(sender && sender.id === "composer");
            if (!seen) {
                seen = new Set();
                countUnseen();
            }
        }
    });
    document.addEventListener("htmx:afterSwap", function (event) {
        var box = scroller();
        if (!box || !event.detail.target || event.detail.target.id !== "messages") {
            return;
        }
        var added = countUnseen();
        if (follow) {
            toEnd(box);
        } else {
            pending += added;
        }
        renderPending(box);
    });

    // The tab title leads with the unread total, and an @ when someone mentioned the person, as the conversation
    // list last counted them.
    document.addEventListener("htmx:afterSettle", function () {
        var list = document.getElementById("conversation-list");
        if (!list || !list.hasAttribute("data-unread-total")) {
            return;
        }
        var total = parseInt(list.getAttribute("data-unread-total"), 10) || 0;
        var title = document.title.replace(/^\(\d+\) /, "").replace(/^@ /, "");
        var mark = list.getAttribute("data-mentioned") === "true" ? "@ " : "";
        document.title = (total > 0 ? "(" + total + ") " : "") + mark + title;
    });
})();
