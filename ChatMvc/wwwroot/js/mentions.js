// The composer's @ picker. Typing @ offers the conversation's members by name from the server (a listbox fragment);
// arrows move through them, Enter or Tab types the chosen name, Escape closes the list. The textarea keeps its own
// role (a textarea may not be a combobox): it points at the list with aria-controls and at the option in focus with
// aria-activedescendant, and a status line says how many people match. Without JavaScript, "@Full Name" typed in
// full is a mention all the same: the server resolves it.
(function () {
    "use strict";

    var maxQuery = 40;
    var textarea, picker, status;
    var start = -1;
    // Where the last picked name's @ is: the picker does not open again on it (Enter after it should send).
    var picked = -1;
    var active = -1;
    var open = false;
    var shown = false;
    var sequence = 0;
    var timer = 0;

    function options() {
        return picker ? Array.prototype.slice.call(picker.querySelectorAll("[role=option]")) : [];
    }

    function close() {
        sequence++;
        open = false;
        shown = false;
        active = -1;
        if (picker) {
            picker.innerHTML = "";
        }
        if (textarea) {
            textarea.removeAttribute("aria-activedescendant");
            textarea.removeAttribute("aria-controls");
        }
    }

    // The @word being typed just before the caret: an @ that starts a word, then a name's start (spaces included,
    // since names have them), no line break and no other @.
    function typedMention() {
        var caret = textarea.selectionStart;
        if (caret !== textarea.selectionEnd) {
            return null;
        }
        var before = textarea.value.slice(0, caret);
        var at = before.lastIndexOf("@");
        if (at < 0 || at === picked || (at > 0 && /[\p{L}\p{N}]/u.test(before.charAt(at - 1)))) {
            return null;
        }
        var query = before.slice(at + 1);
        if (query.length > maxQuery || /[\n@]/.test(query) || /\s\s$/.test(query)) {
            return null;
        }
        return { start: at, query: query };
    }

    function setActive(index) {
        var list = options();
        if (list.length === 0) {
            return;
        }
        active = (index + list.length) % list.length;
        list.forEach(function (option, i) {
            option.setAttribute("aria-selected", i === active ? "true" : "false");
        });
        textarea.setAttribute("aria-activedescendant", list[active].id);
        list[active].scrollIntoView({ block: "nearest" });
    }

    function load() {
        var typed = typedMention();
        if (!typed) {
            close();
            return;
        }
        start = typed.start;
        var mine = ++sequence;
        fetch(picker.dataset.candidates + "?q=" + encodeURIComponent(typed.query), {
            headers: { "HX-Request": "true" },
            credentials: "same-origin",
        }).then(function (response) {
            return response.ok ? response.text() : "";
        }).then(function (html) {
            if (mine !== sequence || document.activeElement !== textarea) {
                return;
            }
            picker.innerHTML = html;
            shown = html.trim() !== "";
            var list = picker.querySelector("[role=listbox]");
            open = !!list;
            if (list) {
                textarea.setAttribute("aria-controls", list.id);
                setActive(0);
                var count = options().length;
                status.textContent = (count === 1 ? "1 person" : count + " people") + " to mention: up and down arrows to choose, Enter to pick, Escape to close.";
            } else {
                textarea.removeAttribute("aria-controls");
                textarea.removeAttribute("aria-activedescendant");
                status.textContent = picker.textContent.trim();
            }
        }).catch(function () { /* offline: typing the full name still works */ });
    }

    function pick(option) {
        var name = option.getAttribute("data-mention");
        var caret = textarea.selectionStart;
        var value = textarea.value;
        var inserted = "@" + name + " ";
        textarea.value = value.slice(0, start) + inserted + value.slice(caret);
        var position = start + inserted.length;
        picked = start;
        textarea.setSelectionRange(position, position);
        close();
        status.textContent = "Mentioned " + name + ".";
        textarea.focus();
    }

    // Captured on the document, so that while the list is open Enter picks instead of sending (chat.js listens on
    // the textarea itself) and Escape closes the list instead of anything else.
    document.addEventListener("keydown", function (event) {
        if (!textarea || event.target !== textarea || event.isComposing || !shown) {
            return;
        }
        var handled = true;
        if (event.key === "Escape") {
            close();
            status.textContent = "";
        } else if (!open) {
            handled = false;
        } else if (event.key === "ArrowDown") {
            setActive(active + 1);
        } else if (event.key === "ArrowUp") {
            setActive(active - 1);
        } else if ((event.key === "Enter" || event.key === "Tab") && !event.shiftKey && active >= 0) {
            pick(options()[active]);
        } else {
            handled = false;
        }
        if (handled) {
            event.preventDefault();
            event.stopPropagation();
        }
    }, true);

    document.addEventListener("DOMContentLoaded", function () {
        textarea = document.getElementById("message-body");
        picker = document.getElementById("mention-picker");
        status = document.getElementById("mention-status");
        if (!textarea || !picker || !status) {
            return;
        }
        textarea.setAttribute("aria-autocomplete", "list");
        textarea.addEventListener("input", function () {
            clearTimeout(timer);
            timer = setTimeout(load, 120);
        });
        textarea.addEventListener("blur", function () {
            // Later than a click on an option, which picks first.
            setTimeout(function () {
                if (document.activeElement !== textarea) {
                    close();
                }
            }, 150);
        });
        picker.addEventListener("mousedown", function (event) {
            event.preventDefault();
        });
        picker.addEventListener("click", function (event) {
            var option = event.target.closest && event.target.closest("[role=option]");
            if (option) {
                pick(option);
            }
        });
        document.addEventListener("message-sent", function () {
            picked = -1;
            close();
        });
    });
})();
