using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Merit.Tests.Recruitment.Announcements;

/// <summary>The cells of a spreadsheet's first sheet as text, row by row, by their column letters (so empty cells keep their place).</summary>
public static class XlsxCells
{
    public static List<List<string>> Rows(byte[] xlsx)
    {
        using var document = SpreadsheetDocument.Open(new MemoryStream(xlsx), false);
        var workbook = document.WorkbookPart!;
        var sheet = workbook.Workbook.Sheets!.Elements<Sheet>().First();
        var part = (WorksheetPart)workbook.GetPartById(sheet.Id!);
        var shared = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(s => s.InnerText).ToList() ?? [];
        var rows = new List<List<string>>();
        foreach (var row in part.Worksheet.Descendants<Row>())
        {
            while (rows.Count < row.RowIndex!.Value - 1)
            {
                rows.Add([]);
            }

            var cells = new List<string>();
            var column = 0;
            foreach (var cell in row.Elements<Cell>())
            {
                var at = cell.CellReference is { } reference ? ColumnOf(reference!) : column;
                while (cells.Count < at)
                {
                    cells.Add("");
                }

                cells.Add(cell.DataType?.Value == CellValues.InlineString ? cell.InlineString?.InnerText ?? ""
                    : cell.DataType?.Value == CellValues.SharedString ? shared[int.Parse(cell.CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture)]
                    : cell.CellValue?.Text ?? "");
                column = cells.Count;
            }

            rows.Add(cells);
        }

        return rows;
    }

    private static int ColumnOf(string reference)
    {
        var index = 0;
        foreach (var c in reference.TakeWhile(char.IsLetter))
        {
            index = (index * 26) + (c - 'A' + 1);
        }

        return index - 1;
    }
}
