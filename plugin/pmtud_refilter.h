/* pmtud_refilter.h
 * GUI only: the display filter applied again once a file is read, when
 * pmtud reported on frames after they were filtered. See pmtud_refilter.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PMTUD_REFILTER_H
#define PMTUD_REFILTER_H

void pmtud_refilter_register(void);   /* once, at registration */
void pmtud_refilter_new_file(void);   /* each time a file is opened */
void pmtud_refilter_late_report(void);/* a report on a frame already read */

#endif /* PMTUD_REFILTER_H */
