#ifndef CEDITLINE_SHIM_H
#define CEDITLINE_SHIM_H
// el_set(), el_get() and history() are variadic, which Swift cannot call:
// each wrapper fixes one operation's argument types. el_init() takes the C
// stdio globals, which Swift 6 rejects as not concurrency-safe, so it is
// wrapped too. Every function is static inline: this header is the whole
// module, and nothing here is compiled into a library of our own.
#include <histedit.h>
#include <stdio.h>

// MARK: - EditLine

/// el_init(program, stdin, stdout, stderr): an editor on the process's standard streams.
static inline EditLine *_Nullable ceditline_open(const char *_Nonnull program) {
    return el_init(program, stdin, stdout, stderr);
}

/// el_end(el): restores the terminal and frees the editor.
static inline void ceditline_close(EditLine *_Nonnull el) {
    el_end(el);
}

/// el_reset(el): resets the terminal and the line state, for example after an error.
static inline void ceditline_reset(EditLine *_Nonnull el) {
    el_reset(el);
}

/// el_set(el, EL_PROMPT, function): the function libedit calls for the prompt text.
static inline int ceditline_set_prompt(
    EditLine *_Nonnull el,
    char *_Nullable (*_Nonnull function)(EditLine *_Nonnull)
) {
    return el_set(el, EL_PROMPT, function);
}

/// el_set(el, EL_EDITOR, mode): "emacs" or "vi" key bindings.
static inline int ceditline_set_editor(EditLine *_Nonnull el, const char *_Nonnull mode) {
    return el_set(el, EL_EDITOR, mode);
}

/// el_set(el, EL_CLIENTDATA, data): the owner that C callbacks get back.
static inline int ceditline_set_clientdata(EditLine *_Nonnull el, void *_Nullable data) {
    return el_set(el, EL_CLIENTDATA, data);
}

/// el_get(el, EL_CLIENTDATA, &data): the owner set by ceditline_set_clientdata, or NULL.
static inline void *_Nullable ceditline_get_clientdata(EditLine *_Nonnull el) {
    void *data = NULL;
    if (el_get(el, EL_CLIENTDATA, &data) != 0) {
        return NULL;
    }
    return data;
}

/// el_set(el, EL_HIST, history, h): use h for the up and down arrows.
static inline int ceditline_set_history(EditLine *_Nonnull el, History *_Nonnull h) {
    return el_set(el, EL_HIST, history, h);
}

/// el_set(el, EL_SIGNAL, flag): libedit installs its own handlers while el_gets() runs.
static inline int ceditline_set_signal(EditLine *_Nonnull el, int flag) {
    return el_set(el, EL_SIGNAL, flag);
}

/// el_set(el, EL_SETTY, "-d", setting, NULL): a terminal setting for while libedit edits ("intr=" undefines Ctrl-C).
static inline int ceditline_set_edit_tty(EditLine *_Nonnull el, const char *_Nonnull setting) {
    return el_set(el, EL_SETTY, "-d", setting, NULL);
}

/// el_set(el, EL_ADDFN, name, help, function): a named editor function for key bindings.
///
/// The function returns one of the CC_ codes (CC_NORM, CC_REDISPLAY, CC_REFRESH, ...).
static inline int ceditline_add_function(
    EditLine *_Nonnull el,
    const char *_Nonnull name,
    const char *_Nonnull help,
    unsigned char (*_Nonnull function)(EditLine *_Nonnull, int)
) {
    return el_set(el, EL_ADDFN, name, help, function);
}

/// el_set(el, EL_BIND, key, function, NULL): binds a key sequence ("^I" is TAB) to a named function.
static inline int ceditline_bind(EditLine *_Nonnull el, const char *_Nonnull key, const char *_Nonnull function) {
    return el_set(el, EL_BIND, key, function, NULL);
}

/// el_get(el, EL_GETTC, "co", &columns): the terminal's width as libedit knows it, or 0 if unknown.
static inline int ceditline_columns(EditLine *_Nonnull el) {
    int columns = 0;
    if (el_get(el, EL_GETTC, "co", &columns, NULL) != 0) {
        return 0;
    }
    return columns;
}

/// el_gets(el, &count): the next line with its newline, or NULL at end of input (count 0) or on error (count -1).
static inline const char *_Nullable ceditline_gets(EditLine *_Nonnull el, int *_Nonnull count) {
    return el_gets(el, count);
}

/// el_line(el): the line being edited; buffer, cursor and lastchar point into libedit's buffer.
static inline const LineInfo *_Nonnull ceditline_line(EditLine *_Nonnull el) {
    return el_line(el);
}

/// el_insertstr(el, text): inserts text at the cursor; -1 if it does not fit or is empty.
static inline int ceditline_insertstr(EditLine *_Nonnull el, const char *_Nonnull text) {
    return el_insertstr(el, text);
}

/// el_set(el, EL_GETCFN, function): the function libedit reads each character with; it
/// stores one character in *out and returns 1, or returns 0 at end of input, -1 on error.
static inline int ceditline_set_read_char(
    EditLine *_Nonnull el,
    int (*_Nonnull function)(EditLine *_Nonnull, wchar_t *_Nonnull)
) {
    return el_set(el, EL_GETCFN, function);
}

/// el_set(el, EL_REFRESH): redraws the prompt (calling the prompt function again) and the line.
static inline int ceditline_refresh(EditLine *_Nonnull el) {
    return el_set(el, EL_REFRESH);
}

// MARK: - History

/// history_init(): an empty history list.
static inline History *_Nullable ceditline_history_open(void) {
    return history_init();
}

/// history_end(h): frees the history list.
static inline void ceditline_history_close(History *_Nonnull h) {
    history_end(h);
}

/// history(h, &event, H_SETSIZE, size): keeps at most size entries.
static inline int ceditline_history_set_size(History *_Nonnull h, int size) {
    HistEvent event;
    return history(h, &event, H_SETSIZE, size);
}

/// history(h, &event, H_SETUNIQUE, flag): with flag 1, a line equal to the previous one is not entered again.
static inline int ceditline_history_set_unique(History *_Nonnull h, int flag) {
    HistEvent event;
    return history(h, &event, H_SETUNIQUE, flag);
}

/// history(h, &event, H_ENTER, line): appends a line.
static inline int ceditline_history_enter(History *_Nonnull h, const char *_Nonnull line) {
    HistEvent event;
    return history(h, &event, H_ENTER, line);
}

/// history(h, &event, H_LOAD, path): the number of entries read, or -1 (also when the file does not exist).
static inline int ceditline_history_load(History *_Nonnull h, const char *_Nonnull path) {
    HistEvent event;
    return history(h, &event, H_LOAD, path);
}

/// history(h, &event, H_SAVE, path): the number of entries written, or -1.
static inline int ceditline_history_save(History *_Nonnull h, const char *_Nonnull path) {
    HistEvent event;
    return history(h, &event, H_SAVE, path);
}

#endif
