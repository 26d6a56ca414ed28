/*
 * The page of gp-client-web: client/web/index.html, style.css and app.js
 * as they are in the tree, assembled into the program so that it needs
 * no data directory and serves nothing from elsewhere. Paths are relative
 * to the top of the tree, where make runs; the Makefile rebuilds this
 * object when a file changes. A NUL follows each file; the length leaves
 * it out.
 */
	.macro	asset name, path
	.section .rodata
	.globl	\name
	.type	\name, @object
\name:
	.incbin	"\path"
\name\()_end:
	.byte	0
	.size	\name, . - \name

	.balign	4
	.globl	\name\()_len
	.type	\name\()_len, @object
\name\()_len:
	.long	\name\()_end - \name
	.size	\name\()_len, 4
	.endm

	asset	web_asset_index, "client/web/index.html"
	asset	web_asset_style, "client/web/style.css"
	asset	web_asset_app, "client/web/app.js"

	.section .note.GNU-stack, "", @progbits
