// SPDX-License-Identifier: GPL-2.0-only
/*
 * The console that Xen hands to dom0: what it says of the display, in
 * the kernel's screen_info, so that vgacon or a framebuffer driver can
 * take the display over.
 *
 * Xen describes the display in a struct dom0_vga_console_info of a
 * given size; older Xen versions give a shorter one, so each field is
 * used only when the size covers it.
 */

#include <linux/init.h>
#include <linux/screen_info.h>
#include <linux/stddef.h>

#include <xen/interface/xen.h>

#include "xen-ops.h"

/* Does an info of @size bytes hold @field? */
#define VGA_HAS(size, field) \
	((size) >= offsetofend(struct dom0_vga_console_info, field))

/* orig_video_isVGA for a VGA text display, as vgacon expects it. */
#define VGA_TEXT_ADAPTER	1

/* A VGA text display, until Xen says more: 80x25 in mode 3, 16-line font. */
static void __init vga_text_defaults(struct screen_info *si)
{
	si->orig_video_mode = 3;
	si->orig_video_isVGA = VGA_TEXT_ADAPTER;
	si->orig_video_ega_bx = 3;
	si->orig_video_cols = 80;
	si->orig_video_lines = 25;
	si->orig_video_points = 16;
	si->orig_y = 24;
}

static void __init vga_text(const struct dom0_vga_console_info *info,
			    size_t size, struct screen_info *si)
{
	if (!VGA_HAS(size, u.text_mode_3))
		return;
	si->orig_video_cols = info->u.text_mode_3.columns;
	si->orig_video_lines = info->u.text_mode_3.rows;
	si->orig_video_points = info->u.text_mode_3.font_height;
	si->orig_x = info->u.text_mode_3.cursor_x;
	si->orig_y = info->u.text_mode_3.cursor_y;
}

/* A linear framebuffer, set up by VESA BIOS calls or by EFI's GOP. */
static void __init vga_lfb(const struct dom0_vga_console_info *info,
			   size_t size, struct screen_info *si)
{
	bool efi = info->video_type == XEN_VGATYPE_EFI_LFB;

	/* Everything up to the colour layout is needed. */
	if (!VGA_HAS(size, u.vesa_lfb.rsvd_size))
		return;
	si->orig_video_isVGA = efi ? VIDEO_TYPE_EFI : VIDEO_TYPE_VLFB;
	si->lfb_base = info->u.vesa_lfb.lfb_base;
	si->lfb_size = info->u.vesa_lfb.lfb_size;
	si->lfb_width = info->u.vesa_lfb.width;
	si->lfb_height = info->u.vesa_lfb.height;
	si->lfb_depth = info->u.vesa_lfb.bits_per_pixel;
	si->lfb_linelength = info->u.vesa_lfb.bytes_per_line;
	si->red_pos = info->u.vesa_lfb.red_pos;
	si->red_size = info->u.vesa_lfb.red_size;
	si->green_pos = info->u.vesa_lfb.green_pos;
	si->green_size = info->u.vesa_lfb.green_size;
	si->blue_pos = info->u.vesa_lfb.blue_pos;
	si->blue_size = info->u.vesa_lfb.blue_size;
	si->rsvd_pos = info->u.vesa_lfb.rsvd_pos;
	si->rsvd_size = info->u.vesa_lfb.rsvd_size;

	/* A framebuffer above 4 GiB (Xen 4.13 and later say where). */
	if (VGA_HAS(size, u.vesa_lfb.ext_lfb_base) &&
	    info->u.vesa_lfb.ext_lfb_base) {
		si->ext_lfb_base = info->u.vesa_lfb.ext_lfb_base;
		si->capabilities |= VIDEO_CAPABILITY_64BIT_BASE;
	}
	/* The VESA mode's attributes; EFI has none. */
	if (!efi && VGA_HAS(size, u.vesa_lfb.mode_attrs))
		si->vesa_attributes = info->u.vesa_lfb.mode_attrs;
}

/**
 * xen_init_vga() - describe the display Xen handed to dom0
 * @info: Xen's description of it
 * @size: how many bytes of @info Xen filled
 * @si: the screen_info to fill
 *
 * A display of a type we do not know is taken for a VGA text display.
 */
void __init xen_init_vga(const struct dom0_vga_console_info *info,
			 size_t size, struct screen_info *si)
{
	vga_text_defaults(si);
	if (!VGA_HAS(size, video_type))
		return;
	switch (info->video_type) {
	case XEN_VGATYPE_TEXT_MODE_3:
		vga_text(info, size, si);
		break;
	case XEN_VGATYPE_VESA_LFB:
	case XEN_VGATYPE_EFI_LFB:
		vga_lfb(info, size, si);
		break;
	}
}
