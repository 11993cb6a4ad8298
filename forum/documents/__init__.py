"""Pure helpers for official documents in the layout of Decree 30/2020: the A4 page and its
margins, the two-column header, justified text set with Liberation Serif, and the wording of
dates and times. The GIẤY MỜI, the BIÊN BẢN and the THÔNG BÁO are drawn with them."""
