/*
 * The built-in form: etc/forms/2022.json as it is in the tree, assembled
 * into the proto library so that gpd and gp-client hold the same bytes as
 * the file they install (one source of truth). The path is relative to
 * the top of the tree, where make runs; the Makefile rebuilds this object
 * when the file changes. A NUL follows the bytes; the length leaves it
 * out.
 */
	.section .rodata
	.globl	form_builtin_2022
	.type	form_builtin_2022, @object
form_builtin_2022:
	.incbin	"etc/forms/2022.json"
form_builtin_2022_end:
	.byte	0
	.size	form_builtin_2022, . - form_builtin_2022

	.balign	4
	.globl	form_builtin_2022_len
	.type	form_builtin_2022_len, @object
form_builtin_2022_len:
	.long	form_builtin_2022_end - form_builtin_2022
	.size	form_builtin_2022_len, 4

	.section .note.GNU-stack, "", @progbits
