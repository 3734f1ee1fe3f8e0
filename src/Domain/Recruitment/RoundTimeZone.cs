using System.Globalization;

namespace Merit.Recruitment;

/// <summary>
/// Indonesia's three time zones (Keppres 41/1987), none with daylight saving. A round reads every date and window in
/// its zone: a registration at 01:00 WIB on the last day of the window is on that day, though it is the previous
/// day in UTC.
/// </summary>
public enum RoundTimeZone
{
    /// <summary>Waktu Indonesia Barat, UTC+7.</summary>
    WIB,
    /// <summary>Waktu Indonesia Tengah, UTC+8.</summary>
    WITA,
    /// <summary>Waktu Indonesia Timur, UTC+9.</summary>
    WIT,
}

public static class RoundTimeZones
{
    public static TimeSpan Offset(this RoundTimeZone zone) => zone switch
    {
        RoundTimeZone.WIB => TimeSpan.FromHours(7),
        RoundTimeZone.WITA => TimeSpan.FromHours(8),
        RoundTimeZone.WIT => TimeSpan.FromHours(9),
        _ => throw new ArgumentOutOfRangeException(nameof(zone), zone, "Unknown Indonesian time zone."),
    };

    /// <summary>The calendar day an instant falls on in the zone.</summary>
    public static DateOnly DateOf(this RoundTimeZone zone, DateTimeOffset instant) =>
        DateOnly.FromDateTime(instant.ToOffset(zone.Offset()).DateTime);

    /// <summary>The first instant after <paramref name="day"/> in the zone: a window that closes at the end of that day is open before it.</summary>
    public static DateTimeOffset EndOf(this RoundTimeZone zone, DateOnly day) =>
        new(day.AddDays(1).ToDateTime(TimeOnly.MinValue), zone.Offset());

    /// <summary>"2024-09-22 (WIB)": how a refusal names a day.</summary>
    public static string Describe(this RoundTimeZone zone, DateOnly day) =>
        string.Create(CultureInfo.InvariantCulture, $"{day:yyyy-MM-dd} ({zone})");
}
