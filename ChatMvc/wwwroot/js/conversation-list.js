// The conversation list's updates. A list poll that found a change answers, when the server can tell, with only the
// changed rows, out of band (Views/Conversations/_ConversationListDelta.cshtml): first the list's new state, then
// each changed row after the row it now follows. This keeps the rest of the list in step with them.
(function () {
    "use strict";

    function state() {
        return document.getElementById("conversation-list-state");
    }

    // The list polls from the version its last update brought, not from the one it was first drawn with.
    document.addEventListener("htmx:configRequest", function (event) {
        var list = event.detail.elt;
        var current = state();
        if (list && list.id === "conversation-list" && current && list.contains(current) && current.dataset.poll) {
            event.detail.path = current.dataset.poll;
        }
    });

    document.addEventListener("htmx:oobBeforeSwap", function (event) {
        var fragment = event.detail.fragment;
        if (!fragment || !fragment.querySelectorAll) {
            return;
        }
        // The new state: conversations the person no longer sees go, and the counts the tab title reads follow.
        var next = fragment.querySelector("#conversation-list-state");
        var list = document.getElementById("conversation-list");
        if (next && list) {
            (next.dataset.removed || "").split(" ").forEach(function (id) {
                var gone = id && document.getElementById("conversation-" + id);
                if (gone) {
                    gone.remove();
                }
            });
            list.setAttribute("data-unread-total", next.dataset.unreadTotal || "0");
            list.setAttribute("data-mentioned", next.dataset.mentioned || "false");
        }
        // A changed row arrives at its new place: its old copy goes first, so each conversation is listed once.
        // htmx puts the keyboard focus back on the new copy's link (same id) once the swaps are done.
        fragment.querySelectorAll("li.conversation-row").forEach(function (row) {
            var old = document.getElementById(row.id);
            if (old && old !== event.detail.target) {
                old.remove();
            }
        });
    });

    // A row to follow was not in the page: this copy of the list has drifted, so the next poll asks for all of it.
    document.addEventListener("htmx:oobErrorNoTarget", function () {
        var current = state();
        if (current && current.dataset.poll) {
            current.dataset.poll = current.dataset.poll.replace(/([?&]v=)-?\d+/, "$10");
        }
    });
})();
